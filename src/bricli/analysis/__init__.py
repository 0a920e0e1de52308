"""Questions asked of a loaded fact base: selecting facts (query) and the values bricli derives. Imports model/, checks/ and load/."""
