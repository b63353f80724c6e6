"""The current home of the helpers."""


def greet(name):
    return "hello " + name
