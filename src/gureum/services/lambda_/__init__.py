"""AWS Lambda (control plane)."""
