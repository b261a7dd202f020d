"""(owner fills in)"""
