// MPA: placeholder until its first file lands.
