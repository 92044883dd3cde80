"""The electronic one-stop shop (một cửa điện tử): dossiers from submission to returned result."""
