"""Reading a handoff mail: MIME (mime.py), the thread inside it (thread.py), the customer (customer.py).

Pure functions of their inputs; see README.md in this directory for why each library is used.
"""
