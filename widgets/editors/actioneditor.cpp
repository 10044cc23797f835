// SPDX-License-Identifier: GPL-3.0-or-later
#include "actioneditor.h"

#include "common/codeeditor.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "session.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>

namespace Feedscope::Ui {

namespace {

const char nodeTemplate[]
    = "// Called with the parameters of the invoke or of the trigger that fired.\n"
      "function main(params) {\n"
      "    console.log(`received ${JSON.stringify(params)}`);\n"
      "    return { greeting: `Hello, ${params.name || 'stranger'}!` };\n"
      "}\n";
const char pythonTemplate[]
    = "# Called with the parameters of the invoke or of the trigger that fired.\n"
      "def main(params):\n"
      "    print(f\"received {params}\")\n"
      "    return {\"greeting\": f\"Hello, {params.get('name', 'stranger')}!\"}\n";

QString annotationNumber(const ActivationRecord &record, const QString &key)
{
    const QJsonValue v = record.annotations.value(key);
    return v.isDouble() ? QString::number(qint64(v.toDouble())) : QString();
}

} // namespace

ActionEditor::ActionEditor(Session *session, const EntityRef &entity, QWidget *parent)
    : EntityEditor(session, entity, parent)
    , m_kind(new QComboBox(this))
    , m_main(new QLineEdit(this))
    , m_components(new QLineEdit(this))
    , m_timeout(new QSpinBox(this))
    , m_memory(new QSpinBox(this))
    , m_logs(new QSpinBox(this))
    , m_limitsMessage(new MessageBar(this))
    , m_tabs(new QTabWidget(this))
    , m_code(new CodeEditor(this))
    , m_codeMessage(new MessageBar(this))
    , m_parameters(new JsonField(this))
    , m_annotations(new JsonField(this))
    , m_invokeParameters(new JsonField(this))
    , m_invokeButton(new QPushButton(tr("Invoke"), this))
    , m_invokeSummary(new MessageBar(this))
    , m_invokeResult(new JsonField(this))
    , m_invokeLogs(new QPlainTextEdit(this))
{
    name(m_kind, QStringLiteral("kindCombo"), tr("Runtime kind"));
    m_kind->addItems({QStringLiteral("nodejs:20"),
                      QStringLiteral("python:3"),
                      QStringLiteral("blackbox"),
                      QStringLiteral("sequence")});
    m_kind->setEditable(true); // nodejs:default and kinds of other deployments
    form()->addRow(tr("&Kind:"), m_kind);
    name(m_main, QStringLiteral("mainEdit"), tr("Entry function"));
    m_main->setPlaceholderText(tr("main (default)"));
    form()->addRow(tr("&Main:"), m_main);
    name(m_components, QStringLiteral("componentsEdit"), tr("Sequence components"));
    m_components->setPlaceholderText(tr("action1, pkg/action2, /whisk.system/utils/echo"));
    form()->addRow(tr("&Components:"), m_components);

    auto *limits = new QWidget(this);
    auto *limitsRow = new QHBoxLayout(limits);
    limitsRow->setContentsMargins(0, 0, 0, 0);
    name(m_timeout, QStringLiteral("timeoutSpin"), tr("Timeout in milliseconds"));
    m_timeout->setRange(100, 300000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setValue(60000);
    name(m_memory, QStringLiteral("memorySpin"), tr("Memory in megabytes"));
    m_memory->setRange(128, 512);
    m_memory->setSuffix(tr(" MB"));
    m_memory->setValue(256);
    name(m_logs, QStringLiteral("logsSpin"), tr("Log size in kilobytes"));
    m_logs->setRange(0, 10);
    m_logs->setSuffix(tr(" KB logs"));
    m_logs->setValue(10);
    limitsRow->addWidget(m_timeout);
    limitsRow->addWidget(m_memory);
    limitsRow->addWidget(m_logs);
    limitsRow->addStretch(1);
    form()->addRow(tr("&Limits:"), limits);
    m_limitsMessage->setObjectName(QStringLiteral("limitsMessage"));
    form()->addRow(QString(), m_limitsMessage);

    // Code, parameters, annotations in tabs; the invoke panel beside them.
    auto *codePage = new QWidget(this);
    auto *codeLayout = new QVBoxLayout(codePage);
    codeLayout->setContentsMargins(0, 0, 0, 0);
    name(m_code, QStringLiteral("codeEdit"), tr("Action code"));
    m_code->setMinimumHeight(220);
    m_codeMessage->setObjectName(QStringLiteral("codeMessage"));
    m_codeMessage->setAccessibleName(tr("Code message"));
    codeLayout->addWidget(m_code, 1);
    codeLayout->addWidget(m_codeMessage);
    m_parameters->setFieldName(QStringLiteral("parameters"), tr("Parameters (JSON)"));
    m_parameters->setPlaceholderText(
        tr("{\"key\": \"value\"} — default parameters of every invoke"));
    m_annotations->setFieldName(QStringLiteral("annotations"), tr("Annotations (JSON)"));
    m_annotations->setPlaceholderText(tr("{\"description\": \"what it does\"}"));
    m_tabs->setObjectName(QStringLiteral("actionTabs"));
    m_tabs->addTab(codePage, tr("Code"));
    m_tabs->addTab(m_parameters, tr("Parameters"));
    m_tabs->addTab(m_annotations, tr("Annotations"));

    auto *invokeBox = new QGroupBox(tr("Invoke"), this);
    invokeBox->setObjectName(QStringLiteral("invokeBox"));
    auto *invokeLayout = new QVBoxLayout(invokeBox);
    m_invokeParameters->setFieldName(QStringLiteral("invokeParameters"),
                                     tr("Parameters of the invoke (JSON)"));
    m_invokeParameters->setPlaceholderText(tr("{\"name\": \"Ada\"} — parameters of this run"));
    m_invokeParameters->setMaximumHeight(110);
    m_invokeButton->setObjectName(QStringLiteral("invokeButton"));
    m_invokeButton->setAccessibleName(tr("Invoke the action"));
    m_invokeButton->setToolTip(
        tr("Run the saved action, blocking, with these parameters (Ctrl+Return)"));
    m_invokeButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    name(m_invokeSummary, QStringLiteral("invokeSummary"), tr("Invoke outcome"));

    m_invokeResult->setFieldName(QStringLiteral("invokeResult"), tr("Result of the invoke"));
    m_invokeResult->setRequireObject(false);
    m_invokeResult->setReadOnly(true);
    m_invokeResult->setPlaceholderText(tr("The result appears here"));
    name(m_invokeLogs, QStringLiteral("invokeLogs"), tr("Logs of the run"));
    m_invokeLogs->setReadOnly(true);
    m_invokeLogs->setFont(Theme::monospace());
    m_invokeLogs->setPlaceholderText(tr("Logs appear here"));
    auto *invokeRow = new QHBoxLayout;
    invokeRow->addWidget(m_invokeButton);
    invokeRow->addWidget(m_invokeSummary, 1);
    invokeLayout->addWidget(m_invokeParameters);
    invokeLayout->addLayout(invokeRow);
    auto *outputs = new QSplitter(Qt::Vertical, invokeBox);
    outputs->addWidget(m_invokeResult);
    outputs->addWidget(m_invokeLogs);
    invokeLayout->addWidget(outputs, 1);
    connect(m_invokeButton, &QPushButton::clicked, this, &ActionEditor::invoke);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("actionSplitter"));
    split->addWidget(m_tabs);
    split->addWidget(invokeBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    body()->addWidget(split, 1);

    connect(m_kind, &QComboBox::currentTextChanged, this, [this] {
        kindChanged();
        markDirty();
    });
    connect(m_code, &QPlainTextEdit::textChanged, this, [this] {
        m_codeTouched = true;
        m_codeMessage->clearMessage();
        markDirty();
    });
    for (QLineEdit *e : {m_main, m_components})
        connect(e, &QLineEdit::textEdited, this, [this] { markDirty(); });
    for (QSpinBox *s : {m_timeout, m_memory, m_logs})
        connect(s, &QSpinBox::valueChanged, this, [this] {
            m_limitsMessage->clearMessage();
            markDirty();
        });
    for (JsonField *f : {m_parameters, m_annotations})
        connect(f, &JsonField::edited, this, [this] { markDirty(); });

    if (isNew()) {
        m_code->setPlainText(QString::fromUtf8(nodeTemplate));
        m_codeTouched = false;
        kindChanged();
        m_invokeButton->setEnabled(false);
        m_invokeSummary->show(Theme::Role::Muted, tr("Save the action to invoke it."));
    } else {
        load();
    }
}

void ActionEditor::kindChanged()
{
    const QString kind = m_kind->currentText();
    const bool sequence = kind == u"sequence";
    // Only the fields of this kind: a sequence has components, everything else code and main.
    form()->setRowVisible(m_components, sequence);
    form()->setRowVisible(m_main, !sequence);
    m_tabs->setTabVisible(0, !sequence);
    m_code->setEnabled(!m_action.binary);
    m_code->setLanguage(CodeHighlighter::languageOfKind(kind));
    // A new action's untouched template follows the kind.
    if (isNew() && !m_codeTouched) {
        const bool python = kind.startsWith(QLatin1String("python"));
        QSignalBlocker block(m_code);
        m_code->setPlainText(QString::fromUtf8(python ? pythonTemplate : nodeTemplate));
    }
}

void ActionEditor::fetch()
{
    const auto name = session()->client()->qualify(entity().name);
    session()->client()->getAction(*name, true, this, [this](Result<Action> r) {
        if (!r) {
            failed(r.error());
            return;
        }
        show(*r);
        loaded();
    });
}

void ActionEditor::show(const Action &action)
{
    m_action = action;
    {
        QSignalBlocker block(m_kind);
        m_kind->setCurrentText(action.kind);
    }
    m_main->setText(action.main);
    m_components->setText(action.components.join(QStringLiteral(", ")));
    {
        QSignalBlocker block(m_code);
        if (action.binary) {
            m_code->setPlainText(
                tr("// This action's code is a zip archive (%1 bytes of base64): it is "
                   "kept as it is when you save; edit it outside Feedscope.")
                    .arg(action.code.size()));
        } else {
            m_code->setPlainText(action.code);
        }
    }
    kindChanged();
    m_parameters->setValue(action.parameters.toObject());
    m_annotations->setValue(action.annotations.toObject());
    if (action.limits.contains(QLatin1String("timeout")))
        m_timeout->setValue(action.limits.value(QLatin1String("timeout")).toInt());
    if (action.limits.contains(QLatin1String("memory")))
        m_memory->setValue(action.limits.value(QLatin1String("memory")).toInt());
    if (action.limits.contains(QLatin1String("logs")))
        m_logs->setValue(action.limits.value(QLatin1String("logs")).toInt());
    m_invokeButton->setEnabled(true);
    m_invokeSummary->clearMessage();
}

QString ActionEditor::validationError() const
{
    if (!m_parameters->isValid())
        return tr("The parameters are not valid JSON: %1").arg(m_parameters->errorText());
    if (!m_annotations->isValid())
        return tr("The annotations are not valid JSON: %1").arg(m_annotations->errorText());
    if (m_kind->currentText() == u"sequence" && m_components->text().trimmed().isEmpty())
        return tr("A sequence needs at least one component.");
    return {};
}

void ActionEditor::send(const QualifiedName &name)
{
    Action action = m_action;
    action.kind = m_kind->currentText().trimmed();
    if (action.kind == u"sequence") {
        action.components.clear();
        for (const QString &c : m_components->text().split(u',', Qt::SkipEmptyParts)) {
            const auto component = session()->client()->qualify(c.trimmed());
            action.components.append(component ? component->toString() : c.trimmed());
        }
    } else if (!action.binary) {
        action.code = m_code->toPlainText();
    }
    action.main = m_main->text().trimmed();
    action.parameters = KeyValueList::fromObject(m_parameters->object());
    action.annotations = KeyValueList::fromObject(m_annotations->object());
    action.limits = QJsonObject{{QStringLiteral("timeout"), m_timeout->value()},
                                {QStringLiteral("memory"), m_memory->value()},
                                {QStringLiteral("logs"), m_logs->value()}};
    action.version.clear();
    session()->client()->putAction(name, action, !isNew(), this, [this](Result<Action> r) {
        if (!r) {
            refused(r.error());
            return;
        }
        const bool binary = m_action.binary;
        const QString code = m_action.code;
        m_action = *r;
        if (m_action.code.isEmpty() && binary) // a PUT answer may leave the code out
            m_action.code = code;
        m_invokeButton->setEnabled(true);
        m_invokeSummary->clearMessage();
        succeeded(
            tr("Saved action %1 (version %2).").arg(r->qualifiedName().relative(), r->version));
    });
}

MessageBar *ActionEditor::fieldMessage(const WhiskError &error) const
{
    const QString text = error.whiskError.toLower();
    if (text.contains(QLatin1String("limit")) || text.contains(QLatin1String("timeout"))
        || text.contains(QLatin1String("memory")) || text.contains(QLatin1String("log")))
        return m_limitsMessage;
    if (text.contains(QLatin1String("exec")) || text.contains(QLatin1String("code"))
        || text.contains(QLatin1String("kind")) || text.contains(QLatin1String("runtime"))
        || text.contains(QLatin1String("component")) || text.contains(QLatin1String("main"))
        || text.contains(QLatin1String("sequence")))
        return m_codeMessage;
    if (text.contains(QLatin1String("parameter")))
        return m_parameters->messageBar();
    if (text.contains(QLatin1String("annotation")))
        return m_annotations->messageBar();
    return EntityEditor::fieldMessage(error);
}

void ActionEditor::setInvokeButtonText(const QString &text)
{
    // QAbstractButton::setText sets the shortcut from the text's mnemonic: put ours back.
    m_invokeButton->setText(text);
    m_invokeButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
}

void ActionEditor::invoke()
{
    if (m_invokeContext) {
        // Cancel: the answer is dropped (the request dies with its context). The server may
        // still run the action; its activation shows up like any other.
        delete m_invokeContext.data();
        setInvokeButtonText(tr("Invoke"));
        m_invokeSummary->showWarning(tr("Cancelled. The action may still finish on the server; its "
                                        "activation is recorded there."));
        return;
    }
    if (isNew() || !session())
        return;
    if (!m_invokeParameters->isValid()) {
        m_invokeParameters->setFocus();
        return;
    }
    const auto name = session()->client()->qualify(entity().name);
    m_invokeContext = new QObject(this);
    setInvokeButtonText(tr("Cancel"));
    m_invokeSummary->show(Theme::Role::Pulse,
                          isDirty()
                              ? tr("Running the saved version (unsaved changes are not used)…")
                              : tr("Running…"));
    InvokeOptions options;
    options.blocking = true;
    session()->client()->invoke(
        *name,
        m_invokeParameters->object(),
        options,
        m_invokeContext,
        [this](Result<InvokeResult> r) {
            m_invokeContext->deleteLater();
            m_invokeContext = nullptr;
            setInvokeButtonText(tr("Invoke"));
            if (!r) {
                m_invokeSummary->showError(r.error().message);
                return;
            }
            if (!r->finished) {
                m_invokeSummary->showWarning(
                    tr("Still running after the blocking wait: activation %1")
                        .arg(r->activationId));
                return;
            }
            m_invokeResult->setValue(r->result);
            if (!r->record) {
                m_invokeSummary->show(Theme::Role::Muted, tr("Activation %1").arg(r->activationId));
                return;
            }
            const ActivationRecord &a = *r->record;
            m_invokeLogs->setPlainText(a.logs.join(u'\n'));
            QString timing = tr("%1 ms").arg(a.duration);
            const QString wait = annotationNumber(a, QStringLiteral("waitTime"));
            const QString init = annotationNumber(a, QStringLiteral("initTime"));
            if (!wait.isEmpty())
                timing += tr(" · wait %1 ms").arg(wait);
            timing += init.isEmpty() ? tr(" · warm") : tr(" · init %1 ms (cold)").arg(init);
            m_invokeSummary->show(
                a.success ? Theme::Role::Success : Theme::Role::Error,
                tr("%1 · %2 · activation %3")
                    .arg(a.status.isEmpty() ? (a.success ? tr("success") : tr("failed")) : a.status,
                         timing,
                         a.activationId));
        });
}

} // namespace Feedscope::Ui
