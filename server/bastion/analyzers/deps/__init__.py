"""The dependency analyzer's adapter to the text-analyzer registry (work in `bastion.deps`)."""
