// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookconsole.h"

#include "common/confirm.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "webhookcapturemodel.h"
#include "webhookcapturetext.h"
#include "webhookforward.h"
#include "webhookrelay.h"
#include "webhookrelaysettingsbar.h"
#include "webhooksendform.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

// The status column coloured by what the sender was told (the model's role is semantic).
class CaptureOutcomeDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != WebhookCaptureModel::Status)
            return;
        using O = WebhookCapture::Outcome;
        const auto outcome = O(index.data(WebhookCaptureModel::OutcomeRole).toInt());
        const Theme::Role role = outcome == O::Fired          ? Theme::Role::Success
                                 : outcome == O::NoActiveRule ? Theme::Role::Warning
                                 : outcome == O::Pending      ? Theme::Role::Pulse
                                                              : Theme::Role::Error;
        option->palette.setColor(QPalette::Text, Theme::color(role, option->palette));
    }
};

void named(QWidget *widget, const char *objectName, const QString &spokenName)
{
    widget->setObjectName(QLatin1String(objectName));
    widget->setAccessibleName(spokenName);
}

QToolButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setObjectName(action->objectName() + QStringLiteral("Button"));
    button->setAccessibleName(action->text().remove(u'&'));
    return button;
}

bool isEditable(const WebhookCapture &capture)
{
    return capture.request.body.trimmed().isEmpty()
           || QJsonDocument::fromJson(capture.request.body).isObject();
}

} // namespace

WebhookConsole::WebhookConsole(WebhookRelay *relay, const QString &trigger, QWidget *parent)
    : QWidget(parent)
    , m_relay(relay)
    , m_trigger(trigger)
    , m_model(new WebhookCaptureModel(relay, this))
    , m_status(new MessageBar(this))
    , m_fireUrl(new QLineEdit(this))
    , m_directCurl(new QLineEdit(this))
    , m_relayUrl(new QLineEdit(this))
    , m_relayCurl(new QLineEdit(this))
    , m_form(new WebhookSendForm(this))
    , m_history(new QTableView(this))
    , m_requestView(new QPlainTextEdit(this))
    , m_outcomeView(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("webhookConsole"));
    setAccessibleName(tr("Webhook console of trigger %1").arg(trigger));
    m_model->setTrigger(trigger);
    named(m_status, "webhookRelayStatus", tr("Webhook relay status"));
    createActions();

    auto *heading = new QLabel(
        tr("<b>Webhook console</b> — trigger <b>%1</b>").arg(trigger.toHtmlEscaped()), this);
    auto *sendBox = new QGroupBox(tr("Send an event"), this);
    sendBox->setObjectName(QStringLiteral("webhookSendBox"));
    auto *sendLayout = new QVBoxLayout(sendBox);
    sendLayout->addWidget(m_form);

    auto *detail = new QTabWidget(this);
    detail->setObjectName(QStringLiteral("webhookDetailTabs"));
    detail->addTab(m_requestView, tr("Request"));
    detail->addTab(m_outcomeView, tr("Outcome"));
    auto *right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(QStringLiteral("webhookHistorySplitter"));
    right->addWidget(createHistory());
    right->addWidget(detail);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("webhookConsoleSplitter"));
    split->addWidget(sendBox);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setSizes({1000, 2000}); // a third for the composer, whatever the width

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(heading);
    layout->addWidget(m_status);
    layout->addWidget(createAddresses());
    layout->addWidget(split, 1);

    connect(m_form, &WebhookSendForm::sendRequested, this, &WebhookConsole::send);
    connect(m_form, &WebhookSendForm::payloadEdited, this, &WebhookConsole::updateAddresses);
    if (relay) {
        connect(relay, &WebhookRelay::stateChanged, this, &WebhookConsole::updateAddresses);
        connect(relay, &WebhookRelay::endpointChanged, this, &WebhookConsole::updateAddresses);
    }
    // A new row at the top moves the selection's row, not the capture shown; a reset or a drop
    // may take the shown capture away.
    connect(m_model, &QAbstractItemModel::modelReset, this, &WebhookConsole::showSelected);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &WebhookConsole::showSelected);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        showSelected();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_awaited != 0 && selectCapture(m_awaited))
            m_awaited = 0;
        updateActions();
    });
    updateAddresses();
    showSelected();
}

WebhookConsole *
WebhookConsole::forTrigger(WebhookRelay *relay, const QString &trigger, QWidget *area)
{
    const auto consoles = area->findChildren<WebhookConsole *>();
    for (WebhookConsole *console : consoles) {
        if (console->trigger() == trigger && console->m_relay == relay)
            return console;
    }
    return new WebhookConsole(relay, trigger, area);
}

QString WebhookConsole::title() const
{
    return tr("Webhooks: %1").arg(m_trigger);
}

void WebhookConsole::createActions()
{
    const auto make = [this](const char *name, const QString &text, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setStatusTip(tip);
        action->setToolTip(tip);
        return action;
    };
    m_copyDirectCurl = make("copyDirectCurlAction",
                            tr("Copy curl"),
                            tr("Copy the curl line that fires the trigger directly, with the key"));
    connect(m_copyDirectCurl, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(
            directFireCurl(m_relay->endpoint(), m_trigger, m_form->payload(), true));
        Q_EMIT statusMessage(tr("Copied the curl line, key included: keep it to yourself."));
    });
    m_copyRelayUrl = make("copyRelayUrlAction",
                          tr("Copy URL"),
                          tr("Copy the relay URL to give a service as its webhook address"));
    connect(m_copyRelayUrl, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(m_relayUrl->text());
        Q_EMIT statusMessage(tr("Copied the relay URL of %1.").arg(m_trigger));
    });
    m_copyRelayCurl = make("copyRelayCurlAction",
                           tr("Copy curl"),
                           tr("Copy the curl line that delivers the payload through the relay"));
    connect(m_copyRelayCurl, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(m_relayCurl->text());
        Q_EMIT statusMessage(tr("Copied the relay's curl line."));
    });
    m_replay = make("replayCaptureAction",
                    tr("&Replay"),
                    tr("Send the selected capture to the trigger again, byte for byte"));
    m_replay->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_replay->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_replay, &QAction::triggered, this, &WebhookConsole::replaySelected);
    m_editReplay = make("editReplayAction",
                        tr("&Edit and replay…"),
                        tr("Load the selected capture into the composer to change it, then "
                           "replay the edit"));
    m_editReplay->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_editReplay->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_editReplay, &QAction::triggered, this, [this] {
        if (const WebhookCapture *c = m_relay ? m_relay->capture(selectedCapture()) : nullptr)
            m_form->editReplay(*c);
    });
    m_clear = make("clearCapturesAction",
                   tr("C&lear history…"),
                   tr("Forget this trigger's captures, on disk too"));
    connect(m_clear, &QAction::triggered, this, [this] {
        confirm(this,
                tr("Clear the history"),
                tr("Forget every capture of trigger %1? Deliveries cannot be replayed after.")
                    .arg(m_trigger),
                QMessageBox::Discard,
                [this] {
                    if (m_relay)
                        m_relay->clear(m_trigger);
                });
    });
    for (QAction *a : {m_replay, m_editReplay, m_clear})
        addAction(a);
}

QWidget *WebhookConsole::createAddresses()
{
    auto *box = new QGroupBox(tr("Addresses"), this);
    box->setObjectName(QStringLiteral("webhookAddresses"));
    named(m_fireUrl, "webhookFireUrl", tr("Fire URL of the trigger"));
    named(m_directCurl, "webhookDirectCurl", tr("curl line that fires the trigger, key hidden"));
    named(m_relayUrl, "webhookRelayUrl", tr("Relay URL of the trigger"));
    named(m_relayCurl, "webhookRelayCurl", tr("curl line through the relay"));
    m_fireUrl->setPlaceholderText(tr("connect to a profile to fire the trigger"));
    m_relayUrl->setPlaceholderText(tr("the relay is not listening"));
    m_directCurl->setToolTip(tr("The key is hidden here; Copy curl copies it in full."));
    m_relayUrl->setToolTip(tr("Give this address to a service that cannot send Basic auth, or "
                              "point a hook feed at it during development."));
    const auto row = [this](QLineEdit *edit, QAction *action) {
        edit->setReadOnly(true);
        edit->setFont(Theme::monospace());
        auto *line = new QHBoxLayout;
        line->addWidget(edit, 1);
        if (action)
            line->addWidget(buttonFor(action, this));
        return line;
    };
    auto *form = new QFormLayout(box);
    form->addRow(tr("Fire URL:"), row(m_fireUrl, nullptr));
    form->addRow(tr("Direct:"), row(m_directCurl, m_copyDirectCurl));
    form->addRow(tr("Relay URL:"), row(m_relayUrl, m_copyRelayUrl));
    form->addRow(tr("Relayed:"), row(m_relayCurl, m_copyRelayCurl));
    form->addRow(tr("Relay:"), new WebhookRelaySettingsBar(m_relay, box));
    return box;
}

QWidget *WebhookConsole::createHistory()
{
    auto *box = new QGroupBox(tr("History: relay deliveries, console sends and replays"), this);
    box->setObjectName(QStringLiteral("webhookHistoryBox"));
    named(m_history, "webhookHistory", tr("Captures of trigger %1").arg(m_trigger));
    m_history->setModel(m_model);
    m_history->setItemDelegate(new CaptureOutcomeDelegate(m_history));
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setSelectionMode(QAbstractItemView::SingleSelection);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->setWordWrap(false);
    m_history->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_history->addActions({m_replay, m_editReplay});
    // Fixed geometry on a live table (STYLE.md 9): no resizing to contents.
    m_history->verticalHeader()->hide();
    m_history->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_history->verticalHeader()->setDefaultSectionSize(m_history->fontMetrics().height() + 6);
    // Each column as wide as its longest usual text; the activation id takes the rest, elided
    // in the middle so both ends stay recognisable.
    QHeaderView *columns = m_history->horizontalHeader();
    const QFontMetrics metrics = m_history->fontMetrics();
    const QString samples[] = {QStringLiteral("00:00:00.000"),
                               QStringLiteral("console"),
                               QStringLiteral("DELETE"),
                               QStringLiteral("application/json"),
                               QStringLiteral("1023 KB"),
                               QStringLiteral("Status")};
    for (int column = 0; column < WebhookCaptureModel::Activation; ++column)
        columns->resizeSection(column, metrics.horizontalAdvance(samples[column]) + 16);
    columns->setSectionResizeMode(WebhookCaptureModel::Activation, QHeaderView::Stretch);
    m_history->setTextElideMode(Qt::ElideMiddle);
    connect(m_history->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showSelected();
        updateActions();
    });

    for (QPlainTextEdit *view : {m_requestView, m_outcomeView}) {
        view->setReadOnly(true);
        view->setFont(Theme::monospace());
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    named(m_requestView, "webhookRequestView", tr("Selected capture: the request as it arrived"));
    named(m_outcomeView, "webhookOutcomeView", tr("Selected capture: what became of it"));
    m_requestView->setPlaceholderText(tr("Select a capture to see its headers and body."));

    auto *bar = new QHBoxLayout;
    for (QAction *a : {m_replay, m_editReplay, m_clear})
        bar->addWidget(buttonFor(a, box));
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(bar);
    layout->addWidget(m_history, 1);
    return box;
}

void WebhookConsole::updateAddresses()
{
    const bool connected = m_relay && m_relay->hasEndpoint();
    const bool listening = m_relay && m_relay->isListening();
    const QByteArray payload = m_form->payload();
    m_fireUrl->setText(connected ? m_relay->fireUrl(m_trigger).toString() : QString());
    m_directCurl->setText(connected ? directFireCurl(m_relay->endpoint(), m_trigger, payload, false)
                                    : QString());
    m_relayUrl->setText(listening ? m_relay->hookUrl(m_trigger).toString() : QString());
    m_relayCurl->setText(listening ? relayCurl(m_relay->hookUrl(m_trigger), payload) : QString());
    // Long lines show their start (curl -X POST ...), not their tail.
    for (QLineEdit *edit : {m_fireUrl, m_directCurl, m_relayUrl, m_relayCurl})
        edit->setCursorPosition(0);
    m_copyDirectCurl->setEnabled(connected);
    m_copyRelayUrl->setEnabled(listening);
    m_copyRelayCurl->setEnabled(listening);

    if (!m_relay || m_relay->state() == WebhookRelay::State::Failed) {
        m_status->showError(m_relay ? m_relay->errorString() : tr("No webhook relay."));
    } else if (!listening) {
        m_status->showWarning(tr("The relay is stopped: deliveries are not received."));
    } else if (!connected) {
        m_status->showWarning(tr("Relay listening on %1, but no profile is connected: "
                                 "deliveries are captured and answered 503.")
                                  .arg(m_relay->baseUrl().toString()));
    } else {
        m_status->show(Theme::Role::Muted,
                       tr("Relay listening on %1, forwarding to %2 (namespace %3) with the "
                          "profile's key.")
                           .arg(m_relay->baseUrl().toString(),
                                m_relay->endpoint().apiHost,
                                m_relay->endpoint().ns));
    }
}

qint64 WebhookConsole::selectedCapture() const
{
    const QModelIndex current = m_history->currentIndex();
    return current.isValid() ? m_model->captureId(current.row()) : 0;
}

bool WebhookConsole::selectCapture(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    m_history->selectRow(row);
    m_history->scrollTo(m_model->index(row, 0));
    return true;
}

void WebhookConsole::updateActions()
{
    const WebhookCapture *c = m_relay ? m_relay->capture(selectedCapture()) : nullptr;
    m_replay->setEnabled(c != nullptr);
    m_editReplay->setEnabled(c && isEditable(*c));
    m_editReplay->setStatusTip(c && !isEditable(*c)
                                   ? tr("Only JSON bodies can be edited; Replay sends this one "
                                        "as it arrived")
                                   : m_editReplay->toolTip());
    m_clear->setEnabled(m_model->rowCount() > 0);
}

void WebhookConsole::showSelected()
{
    const WebhookCapture *c = m_relay ? m_relay->capture(selectedCapture()) : nullptr;
    if (!c) {
        m_requestView->clear();
        m_outcomeView->clear();
        updateActions();
        return;
    }
    m_requestView->setPlainText(
        WebhookCaptureText::request(*c, c->replayOf ? m_relay->capture(c->replayOf) : nullptr));
    m_outcomeView->setPlainText(WebhookCaptureText::outcome(*c));
}

void WebhookConsole::send()
{
    const auto request = m_form->request(m_trigger);
    if (!request || !m_relay)
        return;
    m_form->setBusy(true);
    const auto done = [this](const WebhookCapture &c) {
        answered(c);
    };
    m_awaited = m_form->replayOf() != 0
                    ? m_relay->replayEdited(m_form->replayOf(), *request, this, done)
                    : m_relay->send(*request, this, done);
    if (m_awaited == 0)
        m_form->setBusy(false); // refused before anything was sent
}

void WebhookConsole::replaySelected()
{
    if (!m_relay || selectedCapture() == 0)
        return;
    m_form->setBusy(true);
    m_awaited = m_relay->replay(
        selectedCapture(), this, [this](const WebhookCapture &c) { answered(c); });
    if (m_awaited == 0) {
        // The capture was dropped (retention) between the click and the call: nothing is sent.
        m_form->setBusy(false);
        Q_EMIT statusMessage(tr("That capture is no longer kept; nothing was replayed."));
    }
}

void WebhookConsole::answered(const WebhookCapture &capture)
{
    m_form->setBusy(false);
    m_form->showOutcome(capture);
    m_model->flush();
    if (selectCapture(capture.id))
        m_awaited = 0;
    Q_EMIT statusMessage(
        tr("Trigger %1: %2").arg(m_trigger, WebhookCaptureModel::outcomeText(capture)));
}

} // namespace Feedscope::Ui
