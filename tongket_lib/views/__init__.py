"""What a notebook shows: the report's HTML pieces, charts and the record a
render reads back."""
