"""Built-in document types, one module each; registered in the ``dangjian.document_types`` entry-point group."""
