// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "codehighlighter.h"

#include <QPlainTextEdit>

namespace Feedscope::Ui {

// A plain text editor for code and JSON: monospace, line numbers, four-space tabs, highlighting.
class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit CodeEditor(QWidget *parent = nullptr,
                        CodeHighlighter::Language language = CodeHighlighter::Language::JavaScript);

    void setLanguage(CodeHighlighter::Language language) { m_highlighter->setLanguage(language); }
    CodeHighlighter::Language language() const { return m_highlighter->language(); }
    // Moves the cursor to a 1-based line and column and shows it.
    void goTo(int line, int column);

    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent *event);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QWidget *m_lineNumbers;
    CodeHighlighter *m_highlighter;
};

} // namespace Feedscope::Ui
