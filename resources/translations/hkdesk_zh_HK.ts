<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_HK">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About hkdesk</source>
        <translation>關於 hkdesk</translation>
    </message>
    <message>
        <source>Real-time Hong Kong stock quotes</source>
        <translation>香港股票實時報價</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Qt run-time</source>
        <translation>Qt 執行環境</translation>
    </message>
    <message>
        <source>PySide6</source>
        <translation>PySide6</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>組件</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>授權條款</translation>
    </message>
    <message>
        <source>Home page</source>
        <translation>網站</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Qt and PySide6 (LGPL-3.0) are linked dynamically and can be replaced with other builds of the same version. Double-click a row to open its home page.</source>
        <translation>Qt 及 PySide6（LGPL-3.0）以動態連結方式使用，可換成同一版本的其他建置。按兩下任何一行可開啟其網站。</translation>
    </message>
    <message>
        <source>Bundled components and their licences:</source>
        <translation>隨附組件及其授權條款：</translation>
    </message>
</context>
<context>
    <name>AlertDialog</name>
    <message>
        <source>Edit alert</source>
        <extracomment>The valid :class:`Alert` (id and state of the edited one kept).</extracomment>
        <translation>修改提示</translation>
    </message>
    <message>
        <source>New alert</source>
        <translation>新增提示</translation>
    </message>
    <message>
        <source>Code or name</source>
        <translation>代號或名稱</translation>
    </message>
    <message>
        <source>Re-arm after</source>
        <translation>重新啟用於</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分鐘</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>股份</translation>
    </message>
    <message>
        <source>When</source>
        <translation>條件</translation>
    </message>
    <message>
        <source>Within (minutes)</source>
        <translation>時間範圍（分鐘）</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重複</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>價格</translation>
    </message>
    <message>
        <source>Times the average</source>
        <translation>平均量的倍數</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>百分比</translation>
    </message>
    <message>
        <source>Give a Hong Kong code or a name the app knows.</source>
        <translation>請輸入香港股份代號或本程式認得的名稱。</translation>
    </message>
    <message>
        <source>The value must be a number, e.g. 412.4 or -2.5.</source>
        <translation>數值必須是數字，例如 412.4 或 -2.5。</translation>
    </message>
    <message>
        <source>This alert cannot be used: {reason}</source>
        <translation>此提示無法使用：{reason}</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>{n} more alerts fired</source>
        <extracomment>Firings shown one by one in a batch; beyond that one notification says how many more. Every notice given, newest last (what the user was told; the diagnostics read it).</extracomment>
        <translation>另有 {n} 個提示觸發</translation>
    </message>
    <message>
        <source>Price at or above</source>
        <translation>價格升至或高於</translation>
    </message>
    <message>
        <source>Price at or below</source>
        <translation>價格跌至或低於</translation>
    </message>
    <message>
        <source>Change % from previous close at or above</source>
        <translation>較前收市升跌幅達或高於</translation>
    </message>
    <message>
        <source>Change % from previous close at or below</source>
        <translation>較前收市升跌幅達或低於</translation>
    </message>
    <message>
        <source>Move of % within minutes</source>
        <translation>於若干分鐘內波動百分比</translation>
    </message>
    <message>
        <source>Volume surge within minutes</source>
        <translation>於若干分鐘內成交量急增</translation>
    </message>
    <message>
        <source>price ≥ {value}</source>
        <translation>價格 ≥ {value}</translation>
    </message>
    <message>
        <source>price ≤ {value}</source>
        <translation>價格 ≤ {value}</translation>
    </message>
    <message>
        <source>change ≥ {value}% from the previous close</source>
        <translation>較前收市升跌幅 ≥ {value}%</translation>
    </message>
    <message>
        <source>change ≤ {value}% from the previous close</source>
        <translation>較前收市升跌幅 ≤ {value}%</translation>
    </message>
    <message>
        <source>moves {value}% within {minutes} min</source>
        <translation>{minutes} 分鐘內波動 {value}%</translation>
    </message>
    <message>
        <source>volume of {minutes} min ≥ {value}× its recent average</source>
        <translation>{minutes} 分鐘成交量 ≥ 近期平均的 {value} 倍</translation>
    </message>
    <message>
        <source>once</source>
        <translation>一次</translation>
    </message>
    <message>
        <source>re-arms after {n} min</source>
        <translation>{n} 分鐘後重新啟用</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <source>fired</source>
        <translation>已觸發</translation>
    </message>
    <message>
        <source>re-arms at {time}</source>
        <translation>{time} 重新啟用</translation>
    </message>
    <message>
        <source>armed</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>{rule}: traded at {price} at {time}</source>
        <translation>{rule}：{time} 成交價 {price}</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Symbol</source>
        <extracomment>Shortest time between two redraws of the dock&apos;s tables.</extracomment>
        <translation>股份</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重複</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Last fired</source>
        <translation>最近觸發</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>價格</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢復</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>匯入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>匯出…</translation>
    </message>
    <message>
        <source>Clear marks</source>
        <translation>清除標記</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>聲音</translation>
    </message>
    <message>
        <source>Import alerts</source>
        <extracomment>What waits to be shown again while the dock is hidden or a refresh was just made.</extracomment>
        <translation>匯入提示</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <source>{file}: nothing imported, {n} bad line(s); line {line}: {reason}</source>
        <translation>{file}：未有匯入，{n} 行有誤；第 {line} 行：{reason}</translation>
    </message>
    <message>
        <source>{added} alert(s) imported, {skipped} already defined</source>
        <translation>已匯入 {added} 個提示，{skipped} 個已存在</translation>
    </message>
    <message>
        <source>Export alerts</source>
        <translation>匯出提示</translation>
    </message>
    <message>
        <source>{n} alert(s) written to {path}</source>
        <translation>已將 {n} 個提示寫入 {path}</translation>
    </message>
</context>
<context>
    <name>ChartHoles</name>
    <message>
        <source>fetching from the provider…</source>
        <translation>正向行情商索取…</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>沒有數據</translation>
    </message>
    <message>
        <source>gap: trades may be missing</source>
        <translation>斷檔：可能缺少成交</translation>
    </message>
</context>
<context>
    <name>ChartMenu</name>
    <message>
        <source>Add alert at {price}…</source>
        <translation>於 {price} 新增提示…</translation>
    </message>
    <message>
        <source>Add alert…</source>
        <translation>新增提示…</translation>
    </message>
    <message>
        <source>Alert line at {price}</source>
        <translation>於 {price} 加提示線</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>週期</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>技術指標</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Intraday</source>
        <extracomment>The interval buttons&apos; labels: minutes (m), an hour (h), a day (d). The keys are setting values.</extracomment>
        <translation>即日</translation>
    </message>
    <message>
        <source>1m</source>
        <translation>1分</translation>
    </message>
    <message>
        <source>5m</source>
        <translation>5分</translation>
    </message>
    <message>
        <source>15m</source>
        <translation>15分</translation>
    </message>
    <message>
        <source>1h</source>
        <translation>1小時</translation>
    </message>
    <message>
        <source>1d</source>
        <translation>日線</translation>
    </message>
    <message>
        <source>Live ⇥</source>
        <extracomment>The least a chart&apos;s title (code and names) is given before it is cut. Daily candles of the days before today (start, O, H, L, C, V), for the 1d view. The x where the day&apos;s view begins when it is before the first point (a hole at the open).</extracomment>
        <translation>即時 ⇥</translation>
    </message>
    <message>
        <source>Follow the live edge (pan or zoom to stop following)</source>
        <translation>跟隨最新走勢（平移或縮放即停止跟隨）</translation>
    </message>
    <message>
        <source>Prev close</source>
        <translation>昨收</translation>
    </message>
    <message>
        <source>Select a symbol to chart</source>
        <translation>請選擇股份以顯示圖表</translation>
    </message>
    <message>
        <source>No trades yet today</source>
        <translation>今日暫未有成交</translation>
    </message>
    <message>
        <source>{time}   O {open}  H {high}  L {low}  C {close}  V {volume}</source>
        <translation>{time}   開 {open}  高 {high}  低 {low}  收 {close}  量 {volume}</translation>
    </message>
</context>
<context>
    <name>ChartWindow</name>
    <message>
        <source>Show: code or name</source>
        <extracomment>The depth ladder&apos;s and time &amp; sales&apos; width in a new chart window (the main window&apos;s docks). A symbol chosen here (typed in the search box): (window, symbol). The window&apos;s link group changed: (window, group).</extracomment>
        <translation>顯示：代號或名稱</translation>
    </message>
</context>
<context>
    <name>ColumnChooser</name>
    <message>
        <source>Reset columns</source>
        <translation>重設欄位</translation>
    </message>
</context>
<context>
    <name>DepthLadder</name>
    <message>
        <source>Lvl</source>
        <extracomment>The book&apos;s freshness while it is not live (the figures are then dimmed); None when live.</extracomment>
        <translation>檔</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>價格</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>數量</translation>
    </message>
    <message>
        <source>Spread {value}</source>
        <translation>價差 {value}</translation>
    </message>
    <message>
        <source>Mid {value}</source>
        <translation>中間價 {value}</translation>
    </message>
    <message>
        <source>Select a symbol</source>
        <translation>請選擇股份</translation>
    </message>
    <message>
        <source>A</source>
        <comment>ask level, as in A1</comment>
        <translation>賣</translation>
    </message>
    <message>
        <source>B</source>
        <comment>bid level, as in B1</comment>
        <translation>買</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <extracomment>The :class:`ExportRequest` chosen (OK pressed with valid fields).</extracomment>
        <translation>匯出</translation>
    </message>
    <message>
        <source>Watchlist</source>
        <translation>自選股</translation>
    </message>
    <message>
        <source>Ticks of a day</source>
        <translation>某日逐筆成交</translation>
    </message>
    <message>
        <source>Bars</source>
        <translation>陰陽燭</translation>
    </message>
    <message>
        <source>CSV (.csv)</source>
        <translation>CSV (.csv)</translation>
    </message>
    <message>
        <source>Excel (.xlsx)</source>
        <translation>Excel (.xlsx)</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>股份</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>週期</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Give a Hong Kong code or a name the app knows.</source>
        <translation>請輸入香港股份代號或本程式認得的名稱。</translation>
    </message>
    <message>
        <source>The last date is before the first.</source>
        <translation>結束日期早於開始日期。</translation>
    </message>
</context>
<context>
    <name>FactsText</name>
    <message>
        <source>No reference data: this source has no provider to ask (a shared desk&apos;s desktop)</source>
        <translation>沒有參考資料：此數據源沒有可查詢的行情商（共用交易台的桌面）</translation>
    </message>
    <message>
        <source>The provider has no reference data for this code</source>
        <translation>行情商沒有此代號的參考資料</translation>
    </message>
    <message>
        <source>The provider&apos;s reference data could not be fetched (the log says why)</source>
        <translation>未能取得行情商的參考資料（原因見日誌）</translation>
    </message>
    <message>
        <source>An index has no market cap, P/E or dividend yield</source>
        <translation>指數沒有市值、市盈率或股息率</translation>
    </message>
    <message>
        <source>From the provider&apos;s reference data, fetched {time}</source>
        <translation>來自行情商的參考資料，於 {time} 取得</translation>
    </message>
    <message>
        <source>The provider&apos;s reference data is being read</source>
        <translation>正在讀取行情商的參考資料</translation>
    </message>
</context>
<context>
    <name>FeedReason</name>
    <message>
        <source>connection refused</source>
        <extracomment>Reasons with nothing variable in them, and the words a &quot;cannot connect&quot; names.</extracomment>
        <translation>連線被拒</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>找不到主機</translation>
    </message>
    <message>
        <source>network unreachable</source>
        <translation>網絡無法連通</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>逾時</translation>
    </message>
    <message>
        <source>connection reset</source>
        <translation>連線被重設</translation>
    </message>
    <message>
        <source>connection lost (no close frame)</source>
        <translation>連線中斷（未收到關閉訊息）</translation>
    </message>
    <message>
        <source>socket closed</source>
        <translation>連線已關閉</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未啟動</translation>
    </message>
    <message>
        <source>no symbols left on this connection</source>
        <translation>此連線已無股份</translation>
    </message>
    <message>
        <source>reading today&apos;s trades from the desk</source>
        <translation>正在從交易台讀取今日成交</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>連線中</translation>
    </message>
    <message>
        <source>subscribing</source>
        <translation>訂閱中</translation>
    </message>
    <message>
        <source>backing off</source>
        <translation>稍後重試</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已關閉</translation>
    </message>
    <message>
        <source>cannot connect: {why}</source>
        <translation>無法連線：{why}</translation>
    </message>
    <message>
        <source>no answer within {s} s</source>
        <translation>{s} 秒內無回應</translation>
    </message>
    <message>
        <source>no data for {s} s</source>
        <translation>{s} 秒無數據</translation>
    </message>
    <message>
        <source>token invalid (HTTP {status})</source>
        <translation>令牌無效（HTTP {status}）</translation>
    </message>
    <message>
        <source>server refused the connection (HTTP {status})</source>
        <translation>伺服器拒絕連線（HTTP {status}）</translation>
    </message>
    <message>
        <source>server closed the connection ({detail})</source>
        <translation>伺服器關閉連線（{detail}）</translation>
    </message>
    <message>
        <source>too many requests ({detail})</source>
        <translation>請求過於頻繁（{detail}）</translation>
    </message>
    <message>
        <source>internal error: {what}</source>
        <translation>內部錯誤：{what}</translation>
    </message>
    <message>
        <source>NATS at {url} unreachable</source>
        <translation>無法連通 NATS {url}</translation>
    </message>
    <message>
        <source>NATS at {url}: {detail}</source>
        <translation>NATS {url}：{detail}</translation>
    </message>
    <message>
        <source>no desk server leads desk {desk}</source>
        <translation>交易台 {desk} 沒有伺服器主導</translation>
    </message>
    <message>
        <source>desk {desk}&apos;s upstream {state}: {why}</source>
        <translation>交易台 {desk} 的上游{state}：{why}</translation>
    </message>
    <message>
        <source>desk {desk}&apos;s upstream {state}</source>
        <translation>交易台 {desk} 的上游{state}</translation>
    </message>
</context>
<context>
    <name>Freshness</name>
    <message>
        <source>beyond the plan&apos;s streaming capacity</source>
        <extracomment>Why a symbol is a snapshot, not streaming.</extracomment>
        <translation>超出計劃的串流上限</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation>伺服器拒絕</translation>
    </message>
    <message>
        <source>not subscribed</source>
        <translation>未訂閱</translation>
    </message>
    <message>
        <source>the latest trade, fetched once</source>
        <translation>最新成交，只取一次</translation>
    </message>
    <message>
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分鐘</translation>
    </message>
    <message>
        <source>h</source>
        <translation>小時</translation>
    </message>
    <message>
        <source>d</source>
        <translation>日</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>已存</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>過時</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>即時</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>已存</translation>
    </message>
    <message>
        <source>Stale</source>
        <translation>過時</translation>
    </message>
    <message>
        <source>received {age} ago</source>
        <translation>{age}前收到</translation>
    </message>
    <message>
        <source>fetched {age} ago</source>
        <translation>{age}前取得</translation>
    </message>
    <message>
        <source>recorded {age} ago</source>
        <translation>{age}前記錄</translation>
    </message>
    <message>
        <source>stopped {age} ago</source>
        <translation>{age}前停止</translation>
    </message>
    <message>
        <source>last trade {time}</source>
        <translation>最後成交 {time}</translation>
    </message>
    <message>
        <source>Today&apos;s figures count the trades from {time} only: the day before is not known here</source>
        <translation>今日數字只計 {time} 起的成交：之前的成交此處未知</translation>
    </message>
</context>
<context>
    <name>Indicators</name>
    <message>
        <source>Moving averages (20, 50)</source>
        <extracomment>Indicator names (setting values) and their menu labels.</extracomment>
        <translation>移動平均線（20、50）</translation>
    </message>
    <message>
        <source>Bollinger bands (20, 2σ)</source>
        <translation>保力加通道（20、2σ）</translation>
    </message>
    <message>
        <source>MACD (12, 26, 9)</source>
        <translation>MACD（12、26、9）</translation>
    </message>
    <message>
        <source>RSI (14)</source>
        <translation>RSI（14）</translation>
    </message>
</context>
<context>
    <name>LinkGroups</name>
    <message>
        <source>Red group</source>
        <translation>紅色組</translation>
    </message>
    <message>
        <source>Green group</source>
        <translation>綠色組</translation>
    </message>
    <message>
        <source>Blue group</source>
        <translation>藍色組</translation>
    </message>
    <message>
        <source>Yellow group</source>
        <translation>黃色組</translation>
    </message>
    <message>
        <source>Purple group</source>
        <translation>紫色組</translation>
    </message>
    <message>
        <source>Not linked</source>
        <extracomment>The main window&apos;s group when the app starts. (group, symbol): the group&apos;s symbol changed; ``origin`` members already show it.</extracomment>
        <translation>不連動</translation>
    </message>
    <message>
        <source>Link: {group}</source>
        <translation>連動：{group}</translation>
    </message>
</context>
<context>
    <name>ListActions</name>
    <message>
        <source>New watchlist</source>
        <translation>新增自選股清單</translation>
    </message>
    <message>
        <source>Rename watchlist</source>
        <translation>重新命名自選股清單</translation>
    </message>
    <message>
        <source>Delete the watchlist “{name}” and its {n} symbols?</source>
        <translation>刪除自選清單「{name}」及其 {n} 隻股票？</translation>
    </message>
    <message>
        <source>Delete watchlist</source>
        <translation>刪除自選清單</translation>
    </message>
</context>
<context>
    <name>ListNameDialog</name>
    <message>
        <source>Name:</source>
        <translation>名稱：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Indices</source>
        <translation>指數</translation>
    </message>
    <message>
        <source>Watchlist</source>
        <translation>自選股</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>買賣盤</translation>
    </message>
    <message>
        <source>Time &amp; Sales</source>
        <translation>成交紀錄</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日誌</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>儲存診斷資料</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 檔案 (*.json)</translation>
    </message>
    <message>
        <source>Could not save {path}: {error}</source>
        <translation>無法儲存 {path}：{error}</translation>
    </message>
    <message>
        <source>Diagnostics saved to {path}</source>
        <translation>診斷資料已儲存至 {path}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Watchlist</source>
        <translation>自選股(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;New list…</source>
        <translation>新增清單(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Rename list…</source>
        <translation>重新命名清單(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete list</source>
        <translation>刪除清單(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Find / add symbol</source>
        <translation>尋找／加入股份(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主題</translation>
    </message>
    <message>
        <source>Light theme</source>
        <translation>淺色主題</translation>
    </message>
    <message>
        <source>Green up / red down (HK)</source>
        <translation>綠升紅跌（香港）</translation>
    </message>
    <message>
        <source>Red up / green down (Mainland)</source>
        <translation>紅升綠跌（內地）</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About hkdesk</source>
        <translation>關於 hkdesk(&amp;A)</translation>
    </message>
    <message>
        <source>Save &amp;diagnostics…</source>
        <translation>儲存診斷資料(&amp;D)…</translation>
    </message>
    <message>
        <source>Looking up {code}…</source>
        <translation>正在查詢 {code}…</translation>
    </message>
    <message>
        <source>{code} is not known to the feed</source>
        <translation>行情源不認識 {code}</translation>
    </message>
    <message>
        <source>Added {code} {name}</source>
        <translation>已加入 {code} {name}</translation>
    </message>
    <message>
        <source>Added {code}; its name is unknown here</source>
        <translation>已加入 {code}；此處不知其名稱</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>匯出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Watchlist…</source>
        <translation>自選股(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Ticks of a day…</source>
        <translation>某日逐筆成交(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Bars…</source>
        <translation>陰陽燭(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>放大文字(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>縮小文字(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>正常文字大小(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>鍵盤快捷鍵(&amp;K)</translation>
    </message>
</context>
<context>
    <name>Plan</name>
    <message>
        <source>free</source>
        <translation>免費</translation>
    </message>
    <message>
        <source>basic</source>
        <translation>基本</translation>
    </message>
    <message>
        <source>premium</source>
        <translation>高級</translation>
    </message>
    <message>
        <source>professional</source>
        <translation>專業</translation>
    </message>
</context>
<context>
    <name>RowMenu</name>
    <message>
        <source>Add alert…</source>
        <translation>新增提示…</translation>
    </message>
    <message>
        <source>Open chart in new window</source>
        <translation>在新視窗開啟圖表</translation>
    </message>
    <message>
        <source>Copy quote</source>
        <translation>複製報價</translation>
    </message>
    <message>
        <source>Move to list</source>
        <translation>移至清單</translation>
    </message>
    <message>
        <source>Clear alert mark</source>
        <translation>清除提示標記</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>從清單移除</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>hkdesk settings</source>
        <translation>hkdesk 設定</translation>
    </message>
    <message>
        <source>Built-in simulator</source>
        <translation>內置模擬器</translation>
    </message>
    <message>
        <source>Shared desk</source>
        <translation>共用交易台</translation>
    </message>
    <message>
        <source>{token} — type to replace</source>
        <translation>{token} — 輸入即可替換</translation>
    </message>
    <message>
        <source>Stored in the OS keyring. Current source: {source}.</source>
        <translation>儲存於作業系統的鑰匙圈。目前來源：{source}。</translation>
    </message>
    <message>
        <source>No OS keyring is available here ({detail}). A token typed here is used for this session only; set the {env} environment variable to keep it. Current source: {source}.</source>
        <translation>此處沒有可用的作業系統鑰匙圈（{detail}）。在此輸入的存取權杖只用於這次執行；如要保留，請設定環境變數 {env}。目前來源：{source}。</translation>
    </message>
    <message>
        <source>default: the user in the URL, else this computer&apos;s name</source>
        <translation>預設：URL 中的用戶，否則為本機名稱</translation>
    </message>
    <message>
        <source>NATS credentials file, if the desk wants one</source>
        <translation>NATS 憑證檔案（交易台需要時）</translation>
    </message>
    <message>
        <source>the desk&apos;s database, read-only (optional)</source>
        <translation>交易台的資料庫，唯讀（可選）</translation>
    </message>
    <message>
        <source>default: SQLite file in the user data folder</source>
        <translation>預設：用戶資料夾內的 SQLite 檔案</translation>
    </message>
    <message>
        <source>Green up / red down (Hong Kong)</source>
        <translation>綠升紅跌（香港）</translation>
    </message>
    <message>
        <source>Red up / green down (Mainland)</source>
        <translation>紅升綠跌（內地）</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>淺色</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <source>Market data</source>
        <translation>市場數據</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>數據來源</translation>
    </message>
    <message>
        <source>Host URL</source>
        <translation>主機網址</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>存取權杖</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>計劃</translation>
    </message>
    <message>
        <source>Shared desk (no AllTick token needed)</source>
        <translation>共用交易台（毋須 AllTick 存取權杖）</translation>
    </message>
    <message>
        <source>NATS URL</source>
        <translation>NATS 網址</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>交易台</translation>
    </message>
    <message>
        <source>Desktop id</source>
        <translation>桌面 ID</translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation>憑證</translation>
    </message>
    <message>
        <source>Desk database</source>
        <translation>交易台資料庫</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>儲存</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>資料庫網址</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>顯示</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>顏色</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主題</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <source>A new language applies when hkdesk is next started.</source>
        <translation>新語言會在下次啟動 hkdesk 時生效。</translation>
    </message>
    <message>
        <source>{option} on the command line overrides this for the current run; what you enter here is saved for the next start.</source>
        <translation>命令列的 {option} 在本次執行中優先於此設定；在此輸入的內容會儲存，下次啟動時使用。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Go to the watchlist</source>
        <translation>前往自選股</translation>
    </message>
    <message>
        <source>Go to the chart</source>
        <translation>前往圖表</translation>
    </message>
    <message>
        <source>Go to the depth ladder</source>
        <translation>前往買賣盤</translation>
    </message>
    <message>
        <source>Go to time &amp; sales</source>
        <translation>前往成交紀錄</translation>
    </message>
    <message>
        <source>Go to the alerts</source>
        <translation>前往提示</translation>
    </message>
    <message>
        <source>Go to the log</source>
        <translation>前往日誌</translation>
    </message>
    <message>
        <source>Up / Down</source>
        <extracomment>Every key of the window, in the order the help lists them: (keys, what they do).</extracomment>
        <translation>↑ / ↓</translation>
    </message>
    <message>
        <source>Previous / next symbol in the watchlist</source>
        <translation>自選股的上一隻／下一隻</translation>
    </message>
    <message>
        <source>PgUp / PgDown</source>
        <translation>上一頁 / 下一頁</translation>
    </message>
    <message>
        <source>A page up / down the watchlist</source>
        <translation>自選股向上／向下一頁</translation>
    </message>
    <message>
        <source>Home / End</source>
        <translation>首 / 尾</translation>
    </message>
    <message>
        <source>First / last symbol of the watchlist</source>
        <translation>自選股的第一隻／最後一隻</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>輸入鍵</translation>
    </message>
    <message>
        <source>Open the symbol&apos;s chart in a new window</source>
        <translation>在新視窗開啟該股份的圖表</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>刪除鍵</translation>
    </message>
    <message>
        <source>Remove the symbol from the list</source>
        <translation>從清單移除該股份</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>退出鍵</translation>
    </message>
    <message>
        <source>Clear the search and the filter</source>
        <translation>清除搜尋及篩選</translation>
    </message>
    <message>
        <source>0-9 A-Z</source>
        <translation>0-9 字母</translation>
    </message>
    <message>
        <source>Type a code or name anywhere to find or add it</source>
        <translation>隨處輸入代號或名稱以尋找或加入</translation>
    </message>
    <message>
        <source>Find / add a symbol</source>
        <translation>尋找／加入股份</translation>
    </message>
    <message>
        <source>New alert for the selected symbol</source>
        <translation>為所選股份新增提示</translation>
    </message>
    <message>
        <source>Export the watchlist</source>
        <translation>匯出自選股</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>縮小文字</translation>
    </message>
    <message>
        <source>Text at its normal size</source>
        <translation>正常文字大小</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>結束</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <extracomment>Row heights in pixels at zoom 1 (the stylesheet&apos;s 12 px text).</extracomment>
        <translation>鍵盤快捷鍵</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按鍵</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>功能</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Pre-open</source>
        <translation>開市前時段</translation>
    </message>
    <message>
        <source>Morning session</source>
        <translation>早市</translation>
    </message>
    <message>
        <source>Lunch break</source>
        <translation>午休</translation>
    </message>
    <message>
        <source>Afternoon session</source>
        <translation>午市</translation>
    </message>
    <message>
        <source>Closing auction</source>
        <translation>收市競價</translation>
    </message>
    <message>
        <source>Market closed</source>
        <translation>已收市</translation>
    </message>
    <message>
        <source>Backing off</source>
        <extracomment>Link texts with details after them start with one of these words.</extracomment>
        <translation>稍後重試</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>失敗：</translation>
    </message>
    <message>
        <source>SIM</source>
        <extracomment>The clock&apos;s word for the simulator&apos;s own time, and the gap marker&apos;s word (details follow both).</extracomment>
        <translation>模擬</translation>
    </message>
    <message>
        <source>gap?</source>
        <translation>可能缺漏</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>即時</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>連線中</translation>
    </message>
    <message>
        <source>Subscribing</source>
        <translation>訂閱中</translation>
    </message>
    <message>
        <source>Idle (no symbols)</source>
        <translation>閒置（沒有股份）</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已關閉</translation>
    </message>
    <message>
        <source>{source}, simulated</source>
        <extracomment>Why the database is not storing (the error, in words), for the status bar&apos;s tooltip. A source reached by URL that said it is the built-in simulator (a shared desk&apos;s upstream).</extracomment>
        <translation>{source}，模擬行情</translation>
    </message>
    <message>
        <source>Built-in simulator</source>
        <extracomment>The token the app and the recorder present to their own built-in simulator. The stamp and database name of a simulator reached through an AllTick URL: simulated data, kept apart from the built-in simulator&apos;s day as well as from real data.</extracomment>
        <translation>內置模擬器</translation>
    </message>
    <message>
        <source>AllTick ({plan})</source>
        <translation>AllTick（{plan}）</translation>
    </message>
    <message>
        <source>Shared desk ({desk})</source>
        <translation>共用交易台（{desk}）</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>RTT –</source>
        <extracomment>What follows &quot;Backing off&quot;: the seconds left and the reason in brackets, each when known.</extracomment>
        <translation>延遲 –</translation>
    </message>
    <message>
        <source>RTT {ms} ms</source>
        <translation>延遲 {ms} 毫秒</translation>
    </message>
    <message>
        <source>{rate} ticks/s</source>
        <translation>每秒 {rate} 筆</translation>
    </message>
    <message>
        <source>DB queue {queue} · stored {stored}</source>
        <translation>資料庫佇列 {queue} · 已儲存 {stored}</translation>
    </message>
    <message>
        <source>DB ERROR · queue {queue}</source>
        <translation>資料庫錯誤 · 佇列 {queue}</translation>
    </message>
</context>
<context>
    <name>SymbolSearchBox</name>
    <message>
        <source>Add / jump: code or name (type anywhere)</source>
        <extracomment>Escape pressed (with no completion list open): the text was cleared.</extracomment>
        <translation>加入／跳至：代號或名稱（可隨處輸入）</translation>
    </message>
</context>
<context>
    <name>TapeMenu</name>
    <message>
        <source>Side</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Copy trade</source>
        <translation>複製此成交</translation>
    </message>
    <message>
        <source>Copy all trades</source>
        <translation>複製全部成交</translation>
    </message>
    <message>
        <source>Export the day&apos;s ticks…</source>
        <translation>匯出當日逐筆成交…</translation>
    </message>
</context>
<context>
    <name>TapeModel</name>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>價格</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>數量</translation>
    </message>
    <message>
        <source>B</source>
        <translation>買</translation>
    </message>
    <message>
        <source>S</source>
        <translation>賣</translation>
    </message>
</context>
<context>
    <name>Token</name>
    <message>
        <source>command line</source>
        <translation>命令列</translation>
    </message>
    <message>
        <source>this session</source>
        <translation>本次執行</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>環境變數</translation>
    </message>
    <message>
        <source>keyring</source>
        <translation>鑰匙圈</translation>
    </message>
    <message>
        <source>none</source>
        <translation>沒有</translation>
    </message>
    <message>
        <source>no OS keyring backend on this system</source>
        <translation>此系統沒有可用的鑰匙圈後端</translation>
    </message>
    <message>
        <source>keyring disabled</source>
        <translation>鑰匙圈已停用</translation>
    </message>
    <message>
        <source>keyring unavailable:</source>
        <extracomment>Followed by the name of the exception that stopped ``keyring`` from loading.</extracomment>
        <translation>鑰匙圈無法使用：</translation>
    </message>
    <message>
        <source>●●●●●●●● (set)</source>
        <translation>●●●●●●●●（已設定）</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未設定）</translation>
    </message>
</context>
<context>
    <name>WatchlistModel</name>
    <message>
        <source>Code</source>
        <translation>代號</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>英文名稱</translation>
    </message>
    <message>
        <source>名稱</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>現價</translation>
    </message>
    <message>
        <source>Chg</source>
        <translation>升跌</translation>
    </message>
    <message>
        <source>Chg%</source>
        <translation>升跌%</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>成交額</translation>
    </message>
    <message>
        <source>Bid</source>
        <translation>買入</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>賣出</translation>
    </message>
    <message>
        <source>High</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>最低</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Bid vol</source>
        <translation>買盤量</translation>
    </message>
    <message>
        <source>Ask vol</source>
        <translation>賣盤量</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開市</translation>
    </message>
    <message>
        <source>Prev close</source>
        <translation>前收市</translation>
    </message>
    <message>
        <source>VWAP</source>
        <translation>均價</translation>
    </message>
    <message>
        <source>Ampl%</source>
        <translation>振幅%</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>每手</translation>
    </message>
    <message>
        <source>52w high</source>
        <translation>52週高</translation>
    </message>
    <message>
        <source>52w low</source>
        <translation>52週低</translation>
    </message>
    <message>
        <source>Mkt cap</source>
        <translation>市值</translation>
    </message>
    <message>
        <source>P/E</source>
        <translation>市盈率</translation>
    </message>
    <message>
        <source>Div yld%</source>
        <translation>股息率%</translation>
    </message>
    <message>
        <source>Volume-weighted average price of the day: turnover ÷ volume</source>
        <extracomment>Columns hidden until the user shows them (header menu); only shown ones are formatted. Columns made from the provider&apos;s reference data (``/static_info``), read only while one is shown. What a column holds, where its header alone cannot say (shown as the header&apos;s tooltip).</extracomment>
        <translation>當日成交量加權平均價：成交額 ÷ 成交量</translation>
    </message>
    <message>
        <source>The day&apos;s range, high − low, in % of the previous close</source>
        <translation>當日波幅（最高 − 最低）佔前收市的百分比</translation>
    </message>
    <message>
        <source>Board lot: shares per trading unit</source>
        <translation>每手股數</translation>
    </message>
    <message>
        <source>Highest trade of the last 52 weeks held in the database, today&apos;s included</source>
        <translation>資料庫內過去 52 週（包括今日）的最高成交價</translation>
    </message>
    <message>
        <source>Lowest trade of the last 52 weeks held in the database, today&apos;s included</source>
        <translation>資料庫內過去 52 週（包括今日）的最低成交價</translation>
    </message>
    <message>
        <source>Market capitalisation: last price × total shares (the provider&apos;s reference data)</source>
        <translation>市值：最新價 × 總股數（行情商的參考資料）</translation>
    </message>
    <message>
        <source>Price/earnings: last price ÷ trailing 12-month earnings per share (the provider&apos;s reference data); empty without positive earnings</source>
        <translation>市盈率：最新價 ÷ 過去 12 個月每股盈利（行情商的參考資料）；沒有正盈利則留空</translation>
    </message>
    <message>
        <source>Dividend yield in %, from the provider&apos;s reference data</source>
        <translation>股息率（%），來自行情商的參考資料</translation>
    </message>
</context>
<context>
    <name>WatchlistPanel</name>
    <message>
        <source>Named watchlists</source>
        <translation>自選股清單</translation>
    </message>
    <message>
        <source>New watchlist</source>
        <translation>新增自選股清單</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>篩選</translation>
    </message>
</context>
<context>
    <name>WatchlistService</name>
    <message>
        <source>A watchlist needs a name.</source>
        <translation>自選清單需要名稱。</translation>
    </message>
    <message>
        <source>A watchlist name has at most {n} characters.</source>
        <translation>自選清單名稱最多 {n} 個字元。</translation>
    </message>
    <message>
        <source>There is already a watchlist named “{name}”.</source>
        <translation>已有名為「{name}」的自選清單。</translation>
    </message>
    <message>
        <source>The last watchlist cannot be deleted.</source>
        <translation>不能刪除最後一個自選清單。</translation>
    </message>
    <message>
        <source>Command line</source>
        <extracomment>The list made from ``--symbols``: shown for this run, never saved.</extracomment>
        <translation>命令列</translation>
    </message>
    <message>
        <source>HSI Core</source>
        <translation>恒指核心</translation>
    </message>
    <message>
        <source>Tech</source>
        <translation>科技股</translation>
    </message>
</context>
<context>
    <name>WindowTools</name>
    <message>
        <source>Alerts</source>
        <extracomment>The Alerts dock&apos;s share of the window&apos;s height when it is shown at the bottom.</extracomment>
        <translation>提示</translation>
    </message>
    <message>
        <source>Moved to {name}</source>
        <translation>已移至 {name}</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <source>Excel files (*.xlsx)</source>
        <translation>Excel 檔案 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>匯出至</translation>
    </message>
    <message>
        <source>Nothing exported: no database is in use</source>
        <translation>未有匯出：未使用資料庫</translation>
    </message>
    <message>
        <source>{n} rows written to {path}</source>
        <translation>已將 {n} 行寫入 {path}</translation>
    </message>
</context>
</TS>
