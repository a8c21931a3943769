"""PeerPrep's benchmarks. Each prints its own figures; ``python -m bench`` runs them all."""
