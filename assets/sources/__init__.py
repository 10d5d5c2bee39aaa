"""Group "sources": pull documents from their providers into the landing folder, upstream of ingestion."""
