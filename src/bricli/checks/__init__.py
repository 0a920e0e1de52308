"""Checks across facts: references between facts and sources, and arithmetic between stated figures. Imports only model/."""
