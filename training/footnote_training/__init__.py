"""Training and export of Footnote's models (the embedder and the reader)."""
