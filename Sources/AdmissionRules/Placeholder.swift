// AdmissionRules: placeholder until its first file lands.
