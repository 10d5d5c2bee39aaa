"""Publishing: HTML, Markdown, XLSX and CSV from the checked marts."""
