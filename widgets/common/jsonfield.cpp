// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonfield.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QVBoxLayout>

namespace Feedscope::Ui {

JsonField::JsonField(QWidget *parent)
    : QWidget(parent)
    , m_editor(new CodeEditor(this, CodeHighlighter::Language::Json))
    , m_message(new MessageBar(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_message);
    m_editor->setTabChangesFocus(true);
    setFocusProxy(m_editor);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        validate();
        if (!m_settingText)
            Q_EMIT edited();
    });
}

void JsonField::setFieldName(const QString &name, const QString &spokenName)
{
    m_fieldName = name;
    m_spokenName = spokenName;
    m_editor->setObjectName(name + QStringLiteral("Edit"));
    m_editor->setAccessibleName(spokenName);
    m_message->setObjectName(name + QStringLiteral("Message"));
    m_message->setAccessibleName(tr("%1: message").arg(spokenName));
}

void JsonField::setPlaceholderText(const QString &text)
{
    m_editor->setPlaceholderText(text);
}

void JsonField::setReadOnly(bool readOnly)
{
    m_editor->setReadOnly(readOnly);
}

QString JsonField::text() const
{
    return m_editor->toPlainText();
}

void JsonField::setText(const QString &text)
{
    m_settingText = true;
    m_editor->setPlainText(text);
    m_settingText = false;
    validate();
}

void JsonField::setValue(const QJsonValue &value)
{
    QString text;
    if (value.isObject() && !value.toObject().isEmpty())
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented));
    else if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented));
    else if (!value.isObject() && !value.isUndefined() && !value.isNull())
        text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
                   .mid(1)
                   .chopped(1);
    setText(text.trimmed());
}

QString JsonField::position(const QString &text, int offset, int *lineOut, int *columnOut)
{
    // The parser counts bytes of UTF-8; count characters per line the same way.
    const QByteArray utf8 = text.toUtf8();
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < utf8.size(); ++i) {
        if (utf8.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    const int column = QString::fromUtf8(utf8.mid(lineStart, offset - lineStart)).size() + 1;
    if (lineOut)
        *lineOut = line;
    if (columnOut)
        *columnOut = column;
    return tr("line %1, column %2").arg(line).arg(column);
}

void JsonField::validate()
{
    const QString text = m_editor->toPlainText();
    const bool wasValid = m_valid;
    m_error.clear();
    if (text.trimmed().isEmpty()) {
        m_value = m_requireObject ? QJsonValue(QJsonObject()) : QJsonValue();
    } else {
        // Wrapped in an array so that any JSON value parses, not only documents.
        QJsonParseError error;
        const QByteArray wrapped = "[" + text.toUtf8() + "\n]";
        const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
        if (error.error != QJsonParseError::NoError) {
            const int offset = qMax(0, error.offset - 1);
            m_error = tr("%1: %2").arg(position(text, qMin(offset, int(text.toUtf8().size()))),
                                       error.errorString());
        } else if (document.array().size() != 1) {
            m_error = tr("exactly one JSON value is expected");
        } else {
            m_value = document.array().first();
            if (m_requireObject && !m_value.isObject())
                m_error = tr("a JSON object is expected, like {\"key\": \"value\"}");
        }
    }
    m_valid = m_error.isEmpty();
    if (m_valid)
        m_message->clearMessage();
    else
        m_message->showError(
            m_spokenName.isEmpty() ? m_error : m_spokenName + QStringLiteral(" — ") + m_error);
    if (wasValid != m_valid)
        Q_EMIT validityChanged(m_valid);
}

void JsonField::showError(const QString &message)
{
    m_message->showError(message);
}

} // namespace Feedscope::Ui
