"""{{名称}} placeholders of the texts administrators edit."""

import pytest
from django.core.exceptions import ValidationError

from core.placeholders import fill, placeholder_errors, validate_placeholders

ALLOWED = ["编号", "信访人"]


def test_fill_replaces_known_names_and_keeps_the_rest_as_typed() -> None:
    text = "{{信访人}}：编号{{ 编号 }}，{{未知}}"
    assert fill(text, {"信访人": "张三", "编号": "XF-1"}) == "张三：编号XF-1，{{未知}}"


def test_unknown_and_malformed_placeholders_are_named_in_chinese() -> None:
    assert placeholder_errors("{{信访人}}{{ 编号 }}", ALLOWED) == []
    unknown, malformed = placeholder_errors("{{案号}}{{信访人}}{{ 编号", ALLOWED)
    assert unknown.startswith("未知的占位符：{{案号}}。")
    assert "成对的双花括号" in malformed
    assert placeholder_errors("{{编\n号}}", ALLOWED)


def test_validation_error_is_on_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_placeholders("{{案号}}", ALLOWED, field="body")
    assert list(caught.value.message_dict) == ["body"]
