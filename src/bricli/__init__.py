"""bricli: facts on China-Latin America Belt and Road cooperation, each with its source."""

__version__ = "0.1.0"
