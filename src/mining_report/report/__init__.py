"""Stage 5, the report itself: references, tables, rendering, the published site, and
where each number comes from (``make explain``)."""
