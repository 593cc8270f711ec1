fetch("/api/creators.json")
