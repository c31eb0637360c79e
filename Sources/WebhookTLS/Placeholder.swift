// WebhookTLS: placeholder until its first file lands.
