// WebhookServer: placeholder until its first file lands.
