"""Django admin for OVOP, WUB, poverty activities, facilitations and output targets."""
