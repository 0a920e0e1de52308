"""The fact model: vocabulary, field table, fact records, periods, countries, intervals, problems, wording of values, limits and bounded suggestions. Imports only the standard library."""
