"""Take the network away from a query worker process: the second wall behind the SERVICE check.

Oxigraph's engine fetches SERVICE IRIs with its own HTTP client; pyoxigraph has no option to
turn that off. `deny_network()` installs a seccomp filter in the calling process that makes
`socket()` fail with EACCES for every address family except AF_UNIX (the worker's pipe to the
server is a Unix socket pair created before the filter). Without a socket there is no TCP, no
UDP and no DNS lookup, whatever query text reaches the engine. The filter is inherited by
every thread and child and cannot be removed (no_new_privs).

Linux on x86-64 and aarch64 only; elsewhere `deny_network()` returns False, the caller logs
it, and the SERVICE check is the only wall.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import platform
import socket
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
X32_SYSCALL_BIT = 0x40000000

# BPF opcodes
LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
RET_K = 0x06  # BPF_RET | BPF_K

# offsets in struct seccomp_data
NR, ARCH, ARG0 = 0, 4, 16

# (audit architecture, number of socket(2)) per machine
ARCHES = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}


def _program(audit_arch: int, socket_nr: int) -> bytes:
    deny = SECCOMP_RET_ERRNO | errno.EACCES
    instructions = [
        (LD_W_ABS, 0, 0, ARCH),
        (JEQ_K, 1, 0, audit_arch),  # another ABI (i386 on x86-64): no system call at all
        (RET_K, 0, 0, deny),
        (LD_W_ABS, 0, 0, NR),
        (JGE_K, 4, 0, X32_SYSCALL_BIT),  # x32 numbers alias the 64-bit ones: deny
        (JEQ_K, 0, 4, socket_nr),
        (LD_W_ABS, 0, 0, ARG0 + (0 if sys.byteorder == "little" else 4)),  # the family
        (JEQ_K, 2, 0, socket.AF_UNIX),
        (RET_K, 0, 0, deny),
        (RET_K, 0, 0, deny),
        (RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(struct.pack("HBBI", *ins) for ins in instructions)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> bool:
    """Install the filter in this process; True when it is in force."""
    machine = platform.machine().lower()
    if sys.platform != "linux" or machine not in ARCHES:
        return False
    code = _program(*ARCHES[machine])
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong,
                           ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        return False
    return network_denied()


def network_denied() -> bool:
    """True when this process cannot open an Internet socket."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return True
    probe.close()
    return False
