// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace Feedscope::Ui {

// Highlights JavaScript, Python or JSON (the languages of OpenWhisk actions and parameters):
// keywords, strings, numbers, comments, with colours from the Theme so dark palettes work.
class CodeHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum class Language { JavaScript, Python, Json, Plain };

    explicit CodeHighlighter(QTextDocument *document, Language language = Language::JavaScript);

    void setLanguage(Language language);
    Language language() const { return m_language; }
    // The language of an action kind: "nodejs:20" → JavaScript, "python:3" → Python.
    static Language languageOfKind(const QString &kind);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat format;
    };
    void rebuild();

    Language m_language;
    QList<Rule> m_rules;
    QTextCharFormat m_comment;
    QRegularExpression m_blockCommentStart;
    QRegularExpression m_blockCommentEnd;
};

} // namespace Feedscope::Ui
