"""The fact model: vocabulary, field table, fact records, periods, countries, intervals, problems and wording of values. Imports only the standard library."""
