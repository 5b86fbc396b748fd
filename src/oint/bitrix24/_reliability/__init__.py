"""_reliability"""
