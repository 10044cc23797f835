// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "codeeditor.h"
#include "messagebar.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QWidget>

namespace Feedscope::Ui {

// A JSON value the user types (parameters, annotations, a payload): validated as they type,
// with the error and its line and column under the field (STYLE.md 26). Empty text reads as
// {} when an object is required. showError() puts an API's refusal under the field instead;
// typing clears it. What the user typed is never replaced behind their back.
class JsonField : public QWidget
{
    Q_OBJECT

public:
    explicit JsonField(QWidget *parent = nullptr);

    // `name` ("triggerParameters") is the base of the inner widgets' object names; `spokenName`
    // ("Trigger parameters") their accessible name and the start of messages ("Trigger
    // parameters — line 2, column 5: ...").
    void setFieldName(const QString &name, const QString &spokenName);
    void setRequireObject(bool required)
    {
        m_requireObject = required;
        validate();
    }
    void setPlaceholderText(const QString &text);

    bool isValid() const { return m_valid; }
    QJsonValue value() const { return m_value; }
    QJsonObject object() const { return m_value.toObject(); }
    // Pretty-printed; an empty object shows as empty text with the placeholder.
    void setValue(const QJsonValue &value);
    QString text() const;
    void setText(const QString &text);
    void setReadOnly(bool readOnly);

    CodeEditor *editor() const { return m_editor; }
    MessageBar *messageBar() const { return m_message; }
    void showError(const QString &message);
    // The current validation message ("" when valid).
    QString errorText() const { return m_error; }

    // "line 2, column 5" for a byte offset into the UTF-8 of `text` (QJsonParseError::offset).
    static QString
    position(const QString &text, int offset, int *line = nullptr, int *column = nullptr);

Q_SIGNALS:
    void edited();
    void validityChanged(bool valid);

private:
    void validate();

    CodeEditor *m_editor;
    MessageBar *m_message;
    QString m_fieldName;
    QString m_spokenName;
    bool m_requireObject = true;
    bool m_valid = true;
    QJsonValue m_value = QJsonObject();
    QString m_error;
    bool m_settingText = false;
};

} // namespace Feedscope::Ui
