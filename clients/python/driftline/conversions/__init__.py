"""Protobuf messages to the client's result types and back: one module per service, one pair of
functions per message (``<name>_from_proto`` and ``<name>_to_proto``), each tested round trip.
The client's methods convert only through these."""
