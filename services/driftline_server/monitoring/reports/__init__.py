"""The task reports: RAG evaluation and topic modelling, computed as jobs over stored samples.

``rag`` scores RAG samples locally (lexical and BM25 similarity), ``judge`` asks an LLM provider
instead, ``topics`` finds the topics of a text task's inputs; ``domain`` keeps the reports and
``jobs`` computes them. Nothing here but ``domain`` and ``jobs`` knows of storage or gRPC.
"""
