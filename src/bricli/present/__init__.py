"""From selected facts to what is shown: the JSON record (the machine contract), listings (records plus display rows) and briefs as data. Imports model/ to analysis/."""
