"""The search index rebuilt in bulk: documents of many datasets at once, worker processes, a
new Solr core swapped in without downtime (`ckan smartregion reindex`)."""
