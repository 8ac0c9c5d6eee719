"""The machinery that runs a report notebook and publishes its files: kernel,
papermill, HTML, PDF and Word export, publishing, stamps, batches."""
