"""Landing folder -> one document model (documents + segments Parquet) per source type."""
