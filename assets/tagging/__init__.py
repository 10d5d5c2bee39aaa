"""spaCy rule-based tagging: topic mentions per sentence, plus capex amounts."""
