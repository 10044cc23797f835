// SPDX-License-Identifier: GPL-3.0-or-later
#include "codehighlighter.h"

#include "theme.h"

#include <QGuiApplication>
#include <QTextDocument>

namespace Feedscope::Ui {

CodeHighlighter::CodeHighlighter(QTextDocument *document, Language language)
    : QSyntaxHighlighter(document)
    , m_language(language)
{
    rebuild();
}

CodeHighlighter::Language CodeHighlighter::languageOfKind(const QString &kind)
{
    if (kind.startsWith(QLatin1String("python")))
        return Language::Python;
    if (kind.startsWith(QLatin1String("nodejs")))
        return Language::JavaScript;
    return Language::Plain;
}

void CodeHighlighter::setLanguage(Language language)
{
    if (language == m_language)
        return;
    m_language = language;
    rebuild();
    rehighlight();
}

void CodeHighlighter::rebuild()
{
    const QPalette palette = QGuiApplication::palette();
    QTextCharFormat keyword;
    keyword.setForeground(Theme::color(Theme::Role::Accent, palette));
    keyword.setFontWeight(QFont::Bold);
    QTextCharFormat string;
    string.setForeground(Theme::color(Theme::Role::Success, palette));
    QTextCharFormat number;
    number.setForeground(Theme::color(Theme::Role::Feed, palette));
    QTextCharFormat literal;
    literal.setForeground(Theme::color(Theme::Role::Warning, palette));
    m_comment = QTextCharFormat();
    m_comment.setForeground(Theme::color(Theme::Role::Muted, palette));
    m_comment.setFontItalic(true);

    m_rules.clear();
    const auto words = [](const QStringList &list) {
        return QRegularExpression(QStringLiteral("\\b(") + list.join(u'|')
                                  + QStringLiteral(")\\b"));
    };
    switch (m_language) {
    case Language::JavaScript:
        m_rules.append(
            {words(
                 {QStringLiteral("function"), QStringLiteral("return"),  QStringLiteral("const"),
                  QStringLiteral("let"),      QStringLiteral("var"),     QStringLiteral("if"),
                  QStringLiteral("else"),     QStringLiteral("for"),     QStringLiteral("while"),
                  QStringLiteral("async"),    QStringLiteral("await"),   QStringLiteral("new"),
                  QStringLiteral("class"),    QStringLiteral("throw"),   QStringLiteral("try"),
                  QStringLiteral("catch"),    QStringLiteral("require"), QStringLiteral("exports"),
                  QStringLiteral("module"),   QStringLiteral("of"),      QStringLiteral("in")}),
             keyword});
        m_rules.append({words({QStringLiteral("true"),
                               QStringLiteral("false"),
                               QStringLiteral("null"),
                               QStringLiteral("undefined")}),
                        literal});
        break;
    case Language::Python:
        m_rules.append(
            {words({QStringLiteral("def"),    QStringLiteral("return"), QStringLiteral("import"),
                    QStringLiteral("from"),   QStringLiteral("if"),     QStringLiteral("elif"),
                    QStringLiteral("else"),   QStringLiteral("for"),    QStringLiteral("while"),
                    QStringLiteral("in"),     QStringLiteral("class"),  QStringLiteral("try"),
                    QStringLiteral("except"), QStringLiteral("raise"),  QStringLiteral("with"),
                    QStringLiteral("as"),     QStringLiteral("lambda"), QStringLiteral("not"),
                    QStringLiteral("and"),    QStringLiteral("or")}),
             keyword});
        m_rules.append(
            {words({QStringLiteral("True"), QStringLiteral("False"), QStringLiteral("None")}),
             literal});
        break;
    case Language::Json:
        m_rules.append(
            {words({QStringLiteral("true"), QStringLiteral("false"), QStringLiteral("null")}),
             literal});
        break;
    case Language::Plain: return;
    }
    m_rules.append(
        {QRegularExpression(QStringLiteral("\\b-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b")), number});
    // Strings last: their format wins over keywords inside them.
    m_rules.append({QRegularExpression(QStringLiteral("\"(\\\\.|[^\"\\\\])*\"")), string});
    if (m_language != Language::Json) {
        m_rules.append({QRegularExpression(QStringLiteral("'(\\\\.|[^'\\\\])*'")), string});
    }
    if (m_language == Language::JavaScript) {
        m_rules.append({QRegularExpression(QStringLiteral("`(\\\\.|[^`\\\\])*`")), string});
        m_rules.append({QRegularExpression(QStringLiteral("//[^\\n]*")), m_comment});
        m_blockCommentStart = QRegularExpression(QStringLiteral("/\\*"));
        m_blockCommentEnd = QRegularExpression(QStringLiteral("\\*/"));
    } else if (m_language == Language::Python) {
        m_rules.append({QRegularExpression(QStringLiteral("#[^\\n]*")), m_comment});
        m_blockCommentStart = QRegularExpression();
        m_blockCommentEnd = QRegularExpression();
    }
}

void CodeHighlighter::highlightBlock(const QString &text)
{
    for (const Rule &rule : std::as_const(m_rules)) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto match = it.next();
            setFormat(int(match.capturedStart()), int(match.capturedLength()), rule.format);
        }
    }
    // JavaScript block comments may span lines: state 1 means "inside one".
    setCurrentBlockState(0);
    if (m_language != Language::JavaScript)
        return;
    qsizetype start = previousBlockState() == 1 ? 0 : text.indexOf(m_blockCommentStart);
    while (start >= 0) {
        const auto end = m_blockCommentEnd.match(text, start);
        qsizetype length;
        if (!end.hasMatch()) {
            setCurrentBlockState(1);
            length = text.size() - start;
        } else {
            length = end.capturedEnd() - start;
        }
        setFormat(int(start), int(length), m_comment);
        start = text.indexOf(m_blockCommentStart, start + length);
    }
}

} // namespace Feedscope::Ui
