"""The three reports of the work cycle: periods, snapshots built from reads, Excel, services."""
