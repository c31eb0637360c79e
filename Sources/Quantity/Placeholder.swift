// Quantity: placeholder until its first file lands.
