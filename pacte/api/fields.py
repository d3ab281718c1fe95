"""Field types of the API's input schemas.

`SingleLineStr`: a text that holds on one line (a title, a name, a signatory, a code) refuses the control
characters — line breaks, tabulation, NUL… — with the French message of `pacte.core.validators` (422, naming the
field: « title : Ce champ tient sur une seule ligne : retirez un retour à la ligne. »), as the web forms do. The
texts that may span several lines (a description, the partners, a comment, a note, the sources) stay `str`;
`tests/api/test_hardening.py` lists them and checks every other text field of a body.
"""

from typing import Annotated

from pydantic import AfterValidator

from pacte.core.validators import control_characters, single_line_message


def _single_line(value: str) -> str:
    names = control_characters(value)
    if names:
        raise ValueError(single_line_message(names))
    return value


SingleLineStr = Annotated[str, AfterValidator(_single_line)]
