"""dangjian's document generators and the GB/T 9704-2012 renderer."""
