// AdmissionWebhook: placeholder until its first file lands.
