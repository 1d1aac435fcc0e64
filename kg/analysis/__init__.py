"""Dependency analysis over the whole decision history: a networkx projection of the store
(projection), the status of every resolution and point on any date (status), chains, impact,
cycles, citations (dependencies), mandates on a date (mandates), conflicts between sources
(conflicts), and the derived graph written after every load (step). Terms: TERMS.md."""
