// AdmissionAPI: placeholder until its first file lands.
