"""The citizen flows as pure state machines: each step is a value, each intent gives the next
value and, when the central or a device must be asked, effects for the shell to run."""
