from __future__ import annotations

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.rules.base import Rule


class SyntaxError(Rule):  # noqa: A001 - one name per rule, in every form
    """
    ## What it does
    Reports a file that cannot be decoded or parsed as Python, at the error's line and
    column. The other files of the run are still linted.

    ## Why is this bad?
    reuse-lint cannot analyse what it cannot parse, and Python will not run it either.
    Reporting it as a finding (rather than stopping the run) keeps one broken file from
    hiding the findings of all the others.

    ## Example
    ```python
    def discriminator(x, reuse=False)
        ...
    ```

    Use instead:
    ```python
    def discriminator(x, reuse=False):
        ...
    ```
    """

    CODE = "RL001"
    NAME = "syntax-error"
    VALID = ("x = 1\n",)
    INVALID = ("def f(:  # expect: RL001\n    pass\n",)

    @classmethod
    def diagnostic(cls, path: str, message: str, line: int, column: int) -> Diagnostic:
        return Diagnostic(
            code=cls.CODE,
            name=cls.NAME,
            message=message,
            path=path,
            line=line,
            column=column,
            end_line=line,
            end_column=column + 1,
        )
