// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"

#include "entityeditor.h"
#include <QPointer>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace Feedscope::Ui {

class CodeEditor;
class JsonField;
class MessageBar;

// An action: code with highlighting (JavaScript / Python), kind, main, sequence components,
// limits, parameters and annotations; "Invoke" runs it blocking with a parameter set and shows
// the result, the logs and the timing (duration, wait, init: cold or warm) in place.
class ActionEditor : public EntityEditor
{
    Q_OBJECT

public:
    ActionEditor(Session *session, const EntityRef &entity, QWidget *parent = nullptr);

    CodeEditor *codeEditor() const { return m_code; }
    QComboBox *kindCombo() const { return m_kind; }
    JsonField *parametersField() const { return m_parameters; }
    JsonField *annotationsField() const { return m_annotations; }
    JsonField *invokeParametersField() const { return m_invokeParameters; }
    QPushButton *invokeButton() const { return m_invokeButton; }
    MessageBar *invokeSummary() const { return m_invokeSummary; }
    JsonField *invokeResultField() const { return m_invokeResult; }
    QPlainTextEdit *invokeLogs() const { return m_invokeLogs; }
    MessageBar *codeMessage() const { return m_codeMessage; }

    void invoke();

protected:
    void fetch() override;
    void send(const QualifiedName &name) override;
    QString validationError() const override;
    MessageBar *fieldMessage(const WhiskError &error) const override;

private:
    void show(const Action &action);
    void kindChanged();
    void setInvokeButtonText(const QString &text);

    Action m_action;
    QPointer<QObject> m_invokeContext; // the invoke in flight; deleting it cancels
    bool m_codeTouched = false;
    QComboBox *m_kind;
    QLineEdit *m_main;
    QLineEdit *m_components;
    QSpinBox *m_timeout;
    QSpinBox *m_memory;
    QSpinBox *m_logs;
    MessageBar *m_limitsMessage;
    QTabWidget *m_tabs;
    CodeEditor *m_code;
    MessageBar *m_codeMessage;
    JsonField *m_parameters;
    JsonField *m_annotations;
    JsonField *m_invokeParameters;
    QPushButton *m_invokeButton;
    MessageBar *m_invokeSummary;
    JsonField *m_invokeResult;
    QPlainTextEdit *m_invokeLogs;
};

} // namespace Feedscope::Ui
