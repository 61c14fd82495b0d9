"""Wire-format knowledge shared by the adapters (clients) and the reference peer (server):
how Publik signs URLs, and nothing that sends or serves anything."""
