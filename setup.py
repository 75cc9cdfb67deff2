"""Installs queries/ and data/ inside the package (bot/queries, bot/data); all else is in
pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot*"]), "bot.queries", "bot.data"],
    package_dir={"bot.queries": "queries", "bot.data": "data"},
)
