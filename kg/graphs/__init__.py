"""Graph views of the decision history: which nodes a view shows (views), how they look
(style), where they sit (layout for chains and small views; lanes and timeaxis for the
all-resolutions view and the timeline), the interactive page through pyvis and vis-network
shipped in static/ (render), and static SVG/PNG images (export)."""
