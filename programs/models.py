"""Programme records (OVOP centres, IKM registry, WUB, facilitations): see the programmes issue."""
