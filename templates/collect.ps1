#requires -version 2
<#
.SYNOPSIS
    coexist collector: exports the client access configuration of an
    Exchange 2007, 2010, 2013, 2016 or 2019 organisation for
    "coexist import". READ-ONLY.

.DESCRIPTION
    READ-ONLY GUARANTEE. This script only reads. It runs Get-* cmdlets,
    reads WMI and the registry (keys are opened read-only) and writes files
    under -OutputPath, nothing else. It changes nothing in Exchange, Active
    Directory, IIS, Windows or the registry of any server: it uses no Set-,
    New-, Remove-, Enable-, Disable-, Add-, Clear-, Restart- or Stop-
    command. A test in the coexist source tree (templates/collect_test.go)
    checks this.

    Run it in the Exchange Management Shell of the newest Exchange version
    in the organisation, as an account that can read the Exchange
    configuration (View-Only Organization Management is enough for the
    Exchange cmdlets) and that is a local administrator on the Exchange
    servers (for the registry, hotfixes, WMI and ExSetup.exe). It works on
    PowerShell 2.0 (Exchange 2010 on Windows Server 2008 R2) and later.

    A cmdlet that does not exist in this shell or for a server's version is
    skipped with a note in manifest.csv; a cmdlet that fails is logged and
    the collection goes on. For a server whose data could not be read from
    this shell (Exchange 2007 certificates, say), run the script again in
    that version's shell with -Server NAME -ServersOnly and a new
    -OutputPath, and give coexist import both folders' parent.

    Output (the file names are the ones "coexist import" reads):

      <OutputPath>\
        manifest.csv        every export: Time, Server, Version, Cmdlet, File,
                            Status (ok, skipped, failed, info), Objects, Reason
        collect.log         progress log
        org\
          GetOrganizationConfig.xml   Get-OrganizationConfig
          GetADSite.xml               Get-ADSite (or the forest's sites)
          GetOutlookProvider.xml      Get-OutlookProvider
          GetMailboxDatabase.xml      Get-MailboxDatabase -Status:$false
          mailboxes.csv               Get-Mailbox -ResultSize Unlimited: name,database
        servers\<SERVER>\
          GetExchangeServer.xml       Get-ExchangeServer
          TlsRegistry.xml             Schannel, .NET and NDP registry values
          ExSetup.xml                 ExSetup.exe FileVersionInfo (the real build)
          GetExchangeCertificate.xml  Get-ExchangeCertificate -Server
          GetOwaVirtualDirectory.xml, GetEcpVirtualDirectory.xml,
          GetWebServicesVirtualDirectory.xml, GetActiveSyncVirtualDirectory.xml,
          GetOabVirtualDirectory.xml, GetMapiVirtualDirectory.xml,
          GetAutodiscoverVirtualDirectory.xml   -Server -ADPropertiesOnly
          GetOutlookAnywhere.xml      Get-OutlookAnywhere -Server
          GetClientAccessService.xml  Get-ClientAccessService (2016+ shell), or
          GetClientAccessServer.xml   Get-ClientAccessServer
          GetPopSettings.xml          Get-PopSettings -Server
          GetImapSettings.xml         Get-ImapSettings -Server
          GetService.xml              Get-Service MSExchangePOP3, MSExchangeIMAP4
          GetHotFix.xml               Get-HotFix -ComputerName
          Win32_OperatingSystem.xml   Get-CimInstance (or Get-WmiObject) Win32_OperatingSystem

    Zip the output folder and take it home; then run
    "coexist import <folder> -o inventory.toml".

.PARAMETER OutputPath
    Folder to write; it must be empty or not exist. Default:
    .\coexist-collect-<yyyyMMdd-HHmmss>.

.PARAMETER Server
    Collect only these servers (names or FQDNs). Default: every Exchange
    server of the organisation.

.PARAMETER ServersOnly
    Skip the organisation-wide files (use with -Server for a second run).

.PARAMETER SkipMailboxes
    Do not export the mailbox list (mailboxes.csv).

.EXAMPLE
    .\collect.ps1

.EXAMPLE
    .\collect.ps1 -OutputPath C:\Temp\contoso -SkipMailboxes

.EXAMPLE
    .\collect.ps1 -Server EX2007A -ServersOnly -OutputPath C:\Temp\contoso-2007
#>
[CmdletBinding()]
param(
    [string]$OutputPath = '',
    [string[]]$Server = @(),
    [switch]$ServersOnly,
    [switch]$SkipMailboxes
)

$CollectorVersion = '1.0'
$ErrorActionPreference = 'Continue'
$StartTime = Get-Date

if (-not (Get-Command Get-ExchangeServer -ErrorAction SilentlyContinue)) {
    Write-Host 'Get-ExchangeServer is not available: run collect.ps1 in the Exchange Management Shell.' -ForegroundColor Red
    exit 1
}

$here = (Get-Location -PSProvider FileSystem).Path
if (-not $OutputPath) {
    $OutputPath = Join-Path $here ('coexist-collect-' + $StartTime.ToString('yyyyMMdd-HHmmss'))
}
elseif (-not [System.IO.Path]::IsPathRooted($OutputPath)) {
    $OutputPath = Join-Path $here $OutputPath
}
if ((Test-Path -LiteralPath $OutputPath) -and @(Get-ChildItem -LiteralPath $OutputPath -Force).Count -gt 0) {
    Write-Host ("{0} is not empty: give a new -OutputPath." -f $OutputPath) -ForegroundColor Red
    exit 1
}
[void][System.IO.Directory]::CreateDirectory($OutputPath)
$OutputPath = (Resolve-Path -LiteralPath $OutputPath).ProviderPath
$LogPath = Join-Path $OutputPath 'collect.log'
$script:Manifest = @()

# ---------------------------------------------------------------------------
# Logging and the manifest

function Write-CoexistLog {
    param([string]$Message, [string]$Level = 'INFO')
    $line = '{0} {1,-5} {2}' -f (Get-Date).ToString('yyyy-MM-dd HH:mm:ss'), $Level, $Message
    if ($Level -eq 'WARN') { Write-Host $line -ForegroundColor Yellow }
    elseif ($Level -eq 'ERROR') { Write-Host $line -ForegroundColor Red }
    else { Write-Host $line }
    try { [System.IO.File]::AppendAllText($LogPath, $line + "`r`n") } catch { }
}

function Write-CoexistManifestRow {
    param([string]$ServerName, [string]$Version, [string]$Cmdlet, [string]$File, [string]$Status, [int]$Objects, [string]$Reason)
    $row = '' | Select-Object Time, Server, Version, Cmdlet, File, Status, Objects, Reason
    $row.Time = (Get-Date).ToString('s')
    $row.Server = $ServerName
    $row.Version = $Version
    $row.Cmdlet = $Cmdlet
    $row.File = $File
    $row.Status = $Status
    $row.Objects = $Objects
    $row.Reason = $Reason
    $script:Manifest += $row
}

function Write-CoexistSkip {
    param([string]$ServerName, [string]$Version, [string]$Cmdlet, [string]$Reason)
    $who = $ServerName
    if (-not $who) { $who = 'organisation' }
    Write-CoexistLog ('{0}: {1} skipped: {2}' -f $who, $Cmdlet, $Reason)
    Write-CoexistManifestRow $ServerName $Version $Cmdlet '' 'skipped' 0 $Reason
}

# Invoke-CoexistStep runs one read-only script block and writes what it
# returns with Export-Clixml (an empty file when it returns nothing, which
# tells the importer the cmdlet ran and found nothing). Failures are logged
# and recorded; they never stop the collection.
function Invoke-CoexistStep {
    param([string]$StepFolder, [string]$StepFile, [string]$StepLabel, [string]$StepServer, [string]$StepVersion, [scriptblock]$StepBlock)
    $stepTarget = Join-Path $StepFolder $StepFile
    $stepRelative = $stepTarget.Substring($OutputPath.Length).TrimStart('\')
    $stepWho = $StepServer
    if (-not $stepWho) { $stepWho = 'organisation' }
    Write-CoexistLog ('{0}: {1}' -f $stepWho, $StepLabel)
    $stepLastError = $null
    if ($Error.Count -gt 0) { $stepLastError = $Error[0] }
    $stepResult = @()
    $stepFailure = ''
    $ErrorActionPreference = 'Stop'
    try {
        $stepResult = @(& $StepBlock | Where-Object { $null -ne $_ })
    }
    catch {
        $stepFailure = $_.Exception.Message
    }
    $ErrorActionPreference = 'Continue'
    if (-not $stepFailure -and $stepResult.Count -eq 0 -and $Error.Count -gt 0 -and -not [object]::ReferenceEquals($Error[0], $stepLastError)) {
        $stepFailure = [string]$Error[0]
    }
    if ($stepFailure) {
        Write-CoexistLog ('{0}: {1} failed: {2}' -f $stepWho, $StepLabel, $stepFailure) 'WARN'
        Write-CoexistManifestRow $StepServer $StepVersion $StepLabel '' 'failed' 0 $stepFailure
        return
    }
    try {
        [void][System.IO.Directory]::CreateDirectory($StepFolder)
        $stepResult | Export-Clixml -Path $stepTarget
    }
    catch {
        Write-CoexistLog ('{0}: cannot write {1}: {2}' -f $stepWho, $stepRelative, $_.Exception.Message) 'ERROR'
        Write-CoexistManifestRow $StepServer $StepVersion $StepLabel '' 'failed' 0 ('cannot write: ' + $_.Exception.Message)
        return
    }
    Write-CoexistManifestRow $StepServer $StepVersion $StepLabel $stepRelative 'ok' $stepResult.Count ''
    return , $stepResult
}

# ---------------------------------------------------------------------------
# Helpers

function Test-CoexistCmdlet {
    param([string]$Name)
    return [bool](Get-Command $Name -ErrorAction SilentlyContinue)
}

function Test-CoexistParameter {
    param([string]$Name, [string]$Parameter)
    $command = Get-Command $Name -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) { return $false }
    try { return [bool]($command.Parameters -and $command.Parameters.ContainsKey($Parameter)) }
    catch { return $false }
}

function Test-CoexistLocalServer {
    param([string]$Name, [string]$Fqdn)
    if ($Name -eq $env:COMPUTERNAME) { return $true }
    return ($Fqdn.Split('.')[0] -eq $env:COMPUTERNAME)
}

# Get-CoexistADName returns the name of an ADObjectId (a database, a site).
function Get-CoexistADName {
    param($Id)
    if ($null -eq $Id) { return '' }
    if ($Id.Name) { return [string]$Id.Name }
    $text = [string]$Id
    $slash = $text.LastIndexOf('/')
    if ($slash -ge 0) { return $text.Substring($slash + 1) }
    return $text
}

# Get-CoexistVersionLevel turns AdminDisplayVersion into major*10+minor:
# 80-83 Exchange 2007, 140-143 Exchange 2010, 150 2013, 151 2016, 152 2019.
function Get-CoexistVersionLevel {
    param($ExchangeServer)
    $version = $ExchangeServer.AdminDisplayVersion
    if ($null -ne $version -and $version.Major) { return [int]$version.Major * 10 + [int]$version.Minor }
    if ([string]$version -match 'Version\s+(\d+)\.(\d+)') { return [int]$matches[1] * 10 + [int]$matches[2] }
    return 0
}

function Get-CoexistProductName {
    param([int]$Level)
    if ($Level -ge 80 -and $Level -lt 90) { return 'Exchange 2007' }
    if ($Level -ge 140 -and $Level -lt 150) { return 'Exchange 2010' }
    if ($Level -eq 150) { return 'Exchange 2013' }
    if ($Level -eq 151) { return 'Exchange 2016' }
    if ($Level -ge 152) { return 'Exchange 2019' }
    return 'an unknown Exchange version'
}

# The registry values coexist reads: Key|Name under HKEY_LOCAL_MACHINE.
$RegistryValues = @(
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client|DisabledByDefault',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server|Enabled',
    'SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server|DisabledByDefault',
    'SOFTWARE\Microsoft\.NETFramework\v2.0.50727|SystemDefaultTlsVersions',
    'SOFTWARE\Microsoft\.NETFramework\v2.0.50727|SchUseStrongCrypto',
    'SOFTWARE\Microsoft\.NETFramework\v4.0.30319|SystemDefaultTlsVersions',
    'SOFTWARE\Microsoft\.NETFramework\v4.0.30319|SchUseStrongCrypto',
    'SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727|SystemDefaultTlsVersions',
    'SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727|SchUseStrongCrypto',
    'SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v4.0.30319|SystemDefaultTlsVersions',
    'SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v4.0.30319|SchUseStrongCrypto',
    'SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full|Release',
    'SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5|Install',
    'SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5|SP',
    'SOFTWARE\Microsoft\ExchangeServer\v15\Setup|MsiInstallPath',
    'SOFTWARE\Microsoft\ExchangeServer\v14\Setup|MsiInstallPath',
    'SOFTWARE\Microsoft\Exchange\Setup|MsiInstallPath'
)

# $RegistryReader reads $Values from HKLM of the local computer, or of
# $RemoteName through the Remote Registry service, into one row per value:
# ComputerName, Key, Name, Value ($null when the value does not exist) and
# Type. Keys are opened read-only (OpenSubKey without the writable flag).
$RegistryReader = {
    param([string]$RemoteName, [string]$Label, [string[]]$Values)
    if ($RemoteName) {
        $hive = [Microsoft.Win32.RegistryKey]::OpenRemoteBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, $RemoteName)
    }
    else {
        $hive = [Microsoft.Win32.Registry]::LocalMachine
    }
    foreach ($item in $Values) {
        $parts = $item.Split('|')
        $row = '' | Select-Object ComputerName, Key, Name, Value, Type
        $row.ComputerName = $Label
        $row.Key = $parts[0]
        $row.Name = $parts[1]
        $row.Value = $null
        $row.Type = 'Missing'
        $key = $hive.OpenSubKey($parts[0])
        if ($key) {
            $value = $key.GetValue($parts[1])
            if ($null -ne $value) {
                $row.Value = $value
                $row.Type = [string]$key.GetValueKind($parts[1])
            }
            $key.Close()
        }
        $row
    }
    if ($RemoteName) { $hive.Close() }
}

function Get-CoexistRegistryRows {
    param([string]$Name, [string]$Fqdn)
    if (Test-CoexistLocalServer $Name $Fqdn) {
        return & $RegistryReader '' $Name $RegistryValues
    }
    try {
        return & $RegistryReader $Fqdn $Name $RegistryValues
    }
    catch {
        Write-CoexistLog ('{0}: remote registry failed ({1}); trying PowerShell remoting' -f $Name, $_.Exception.Message) 'WARN'
    }
    return Invoke-Command -ComputerName $Fqdn -ScriptBlock $RegistryReader -ArgumentList '', $Name, $RegistryValues -ErrorAction Stop
}

# Get-CoexistExSetup returns ExSetup.exe's FileVersionInfo: locally with
# Get-Command, remotely through the administrative share of the install
# path read from the registry, else through PowerShell remoting.
function Get-CoexistExSetup {
    param([string]$Name, [string]$Fqdn, [string]$InstallPath)
    if (Test-CoexistLocalServer $Name $Fqdn) {
        $exsetup = Get-Command ExSetup.exe -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($exsetup) {
            if ($exsetup.FileVersionInfo) { return $exsetup.FileVersionInfo }
            return [System.Diagnostics.FileVersionInfo]::GetVersionInfo($exsetup.Path)
        }
        if ($env:ExchangeInstallPath) {
            return [System.Diagnostics.FileVersionInfo]::GetVersionInfo((Join-Path $env:ExchangeInstallPath 'Bin\ExSetup.exe'))
        }
    }
    if ($InstallPath -match '^([A-Za-z]):\\(.*)$') {
        $unc = '\\' + $Fqdn + '\' + $matches[1] + '$\' + $matches[2].TrimEnd('\') + '\Bin\ExSetup.exe'
        if (Test-Path -LiteralPath $unc) {
            return [System.Diagnostics.FileVersionInfo]::GetVersionInfo($unc)
        }
        Write-CoexistLog ('{0}: cannot reach {1}; trying PowerShell remoting' -f $Name, $unc) 'WARN'
    }
    return Invoke-Command -ComputerName $Fqdn -ErrorAction Stop -ScriptBlock {
        $exsetup = Get-Command ExSetup.exe -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($exsetup) { $exsetup.FileVersionInfo }
        elseif ($env:ExchangeInstallPath) { [System.Diagnostics.FileVersionInfo]::GetVersionInfo((Join-Path $env:ExchangeInstallPath 'Bin\ExSetup.exe')) }
    }
}

function Get-CoexistOperatingSystem {
    param([string]$Fqdn)
    if (Test-CoexistCmdlet 'Get-CimInstance') {
        try {
            return Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName $Fqdn -ErrorAction Stop
        }
        catch {
            Write-CoexistLog ('{0}: Get-CimInstance failed ({1}); trying Get-WmiObject' -f $Fqdn, $_.Exception.Message) 'WARN'
        }
    }
    return Get-WmiObject -Class Win32_OperatingSystem -ComputerName $Fqdn -ErrorAction Stop
}

# Virtual directory and Outlook Anywhere cmdlets: Level is the first
# Exchange version (see Get-CoexistVersionLevel) that has them.
$VdirSteps = @(
    @{ Cmdlet = 'Get-OwaVirtualDirectory'; File = 'GetOwaVirtualDirectory.xml'; Level = 80 },
    @{ Cmdlet = 'Get-EcpVirtualDirectory'; File = 'GetEcpVirtualDirectory.xml'; Level = 140 },
    @{ Cmdlet = 'Get-WebServicesVirtualDirectory'; File = 'GetWebServicesVirtualDirectory.xml'; Level = 80 },
    @{ Cmdlet = 'Get-ActiveSyncVirtualDirectory'; File = 'GetActiveSyncVirtualDirectory.xml'; Level = 80 },
    @{ Cmdlet = 'Get-OabVirtualDirectory'; File = 'GetOabVirtualDirectory.xml'; Level = 80 },
    @{ Cmdlet = 'Get-MapiVirtualDirectory'; File = 'GetMapiVirtualDirectory.xml'; Level = 150 },
    @{ Cmdlet = 'Get-AutodiscoverVirtualDirectory'; File = 'GetAutodiscoverVirtualDirectory.xml'; Level = 80 },
    @{ Cmdlet = 'Get-OutlookAnywhere'; File = 'GetOutlookAnywhere.xml'; Level = 80 }
)

# ---------------------------------------------------------------------------
# Start

$psVersion = '1.0'
if ($PSVersionTable) { $psVersion = [string]$PSVersionTable.PSVersion }
Write-CoexistLog ('coexist collector {0} (read-only) on {1}, PowerShell {2}, output {3}' -f $CollectorVersion, $env:COMPUTERNAME, $psVersion, $OutputPath)
Write-CoexistManifestRow '' '' 'collect.ps1' '' 'info' 0 ('collector {0}; PowerShell {1}; run on {2} at {3}' -f $CollectorVersion, $psVersion, $env:COMPUTERNAME, $StartTime.ToString('s'))

$servers = @(Get-ExchangeServer | Sort-Object Name)
if ($Server.Count -gt 0) {
    $servers = @($servers | Where-Object { $Server -contains [string]$_.Name -or $Server -contains [string]$_.Fqdn })
    foreach ($wanted in $Server) {
        $found = @($servers | Where-Object { [string]$_.Name -eq $wanted -or [string]$_.Fqdn -eq $wanted })
        if ($found.Count -eq 0) { Write-CoexistLog ('server {0} not found by Get-ExchangeServer' -f $wanted) 'WARN' }
    }
}
Write-CoexistLog ('{0} Exchange server(s) to collect' -f $servers.Count)

$serversFolder = Join-Path $OutputPath 'servers'
$serverIndex = 0
foreach ($exServer in $servers) {
    $serverIndex++
    $srvName = [string]$exServer.Name
    $srvFqdn = [string]$exServer.Fqdn
    if (-not $srvFqdn) { $srvFqdn = $srvName }
    $srvLevel = Get-CoexistVersionLevel $exServer
    $srvProduct = Get-CoexistProductName $srvLevel
    $srvVersion = [string]$exServer.AdminDisplayVersion
    $srvFolder = Join-Path $serversFolder $srvName
    Write-CoexistLog ('[{0}/{1}] {2} ({3}, {4})' -f $serverIndex, $servers.Count, $srvName, $srvProduct, $srvVersion)

    [void](Invoke-CoexistStep $srvFolder 'GetExchangeServer.xml' 'Get-ExchangeServer' $srvName $srvVersion { $exServer })

    if ([bool]$exServer.IsEdgeServer) {
        Write-CoexistSkip $srvName $srvVersion 'per-server cmdlets' 'Edge Transport server: outside the domain, not collected'
        continue
    }
    $srvIsCas = [bool]$exServer.IsClientAccessServer
    if (-not $srvIsCas -and $srvLevel -ge 151 -and [bool]$exServer.IsMailboxServer) { $srvIsCas = $true }

    # Registry first: it gives the install path the ExSetup.exe step uses.
    $srvInstallPath = ''
    $srvRows = Invoke-CoexistStep $srvFolder 'TlsRegistry.xml' 'Registry (Schannel, .NET, NDP)' $srvName $srvVersion { Get-CoexistRegistryRows $srvName $srvFqdn }
    foreach ($srvRow in @($srvRows)) {
        if ($srvRow -and $srvRow.Name -eq 'MsiInstallPath' -and $srvRow.Value) { $srvInstallPath = [string]$srvRow.Value }
    }
    [void](Invoke-CoexistStep $srvFolder 'ExSetup.xml' 'ExSetup.exe version' $srvName $srvVersion { Get-CoexistExSetup $srvName $srvFqdn $srvInstallPath })

    if (Test-CoexistParameter 'Get-ExchangeCertificate' 'Server') {
        [void](Invoke-CoexistStep $srvFolder 'GetExchangeCertificate.xml' 'Get-ExchangeCertificate' $srvName $srvVersion { Get-ExchangeCertificate -Server $srvName })
    }
    elseif (Test-CoexistLocalServer $srvName $srvFqdn) {
        [void](Invoke-CoexistStep $srvFolder 'GetExchangeCertificate.xml' 'Get-ExchangeCertificate' $srvName $srvVersion { Get-ExchangeCertificate })
    }
    else {
        Write-CoexistSkip $srvName $srvVersion 'Get-ExchangeCertificate' 'this shell has no -Server parameter (Exchange 2007): run collect.ps1 -Server NAME -ServersOnly on that server'
    }

    if ($srvIsCas) {
        foreach ($vdStep in $VdirSteps) {
            if ($srvLevel -gt 0 -and $srvLevel -lt $vdStep.Level) {
                Write-CoexistSkip $srvName $srvVersion $vdStep.Cmdlet ('not available on ' + $srvProduct)
                continue
            }
            if (-not (Test-CoexistCmdlet $vdStep.Cmdlet)) {
                Write-CoexistSkip $srvName $srvVersion $vdStep.Cmdlet 'not available in this Exchange Management Shell'
                continue
            }
            $vdCmd = $vdStep.Cmdlet
            $vdParams = @{ Server = $srvName }
            if (Test-CoexistParameter $vdCmd 'ADPropertiesOnly') { $vdParams['ADPropertiesOnly'] = $true }
            [void](Invoke-CoexistStep $srvFolder $vdStep.File $vdCmd $srvName $srvVersion { & $vdCmd @vdParams })
        }
        if (Test-CoexistCmdlet 'Get-ClientAccessService') {
            [void](Invoke-CoexistStep $srvFolder 'GetClientAccessService.xml' 'Get-ClientAccessService' $srvName $srvVersion { Get-ClientAccessService -Identity $srvName })
        }
        else {
            [void](Invoke-CoexistStep $srvFolder 'GetClientAccessServer.xml' 'Get-ClientAccessServer' $srvName $srvVersion { Get-ClientAccessServer -Identity $srvName })
        }
        [void](Invoke-CoexistStep $srvFolder 'GetPopSettings.xml' 'Get-PopSettings' $srvName $srvVersion { Get-PopSettings -Server $srvName })
        [void](Invoke-CoexistStep $srvFolder 'GetImapSettings.xml' 'Get-ImapSettings' $srvName $srvVersion { Get-ImapSettings -Server $srvName })
        [void](Invoke-CoexistStep $srvFolder 'GetService.xml' 'Get-Service (POP3, IMAP4)' $srvName $srvVersion {
                Get-Service -ComputerName $srvFqdn |
                    Where-Object { $_.Name -eq 'MSExchangePOP3' -or $_.Name -eq 'MSExchangeIMAP4' } |
                    Select-Object Name, DisplayName, Status, MachineName
            })
    }
    else {
        Write-CoexistSkip $srvName $srvVersion 'Client Access cmdlets' 'not a Client Access server'
    }

    [void](Invoke-CoexistStep $srvFolder 'GetHotFix.xml' 'Get-HotFix' $srvName $srvVersion { Get-HotFix -ComputerName $srvFqdn })
    [void](Invoke-CoexistStep $srvFolder 'Win32_OperatingSystem.xml' 'Win32_OperatingSystem' $srvName $srvVersion { Get-CoexistOperatingSystem $srvFqdn })
}

# ---------------------------------------------------------------------------
# Organisation-wide files

$orgFolder = Join-Path $OutputPath 'org'
if ($ServersOnly) {
    Write-CoexistSkip '' '' 'organisation-wide cmdlets' '-ServersOnly'
}
else {
    [void](Invoke-CoexistStep $orgFolder 'GetOrganizationConfig.xml' 'Get-OrganizationConfig' '' '' { Get-OrganizationConfig })
    if (Test-CoexistCmdlet 'Get-ADSite') {
        [void](Invoke-CoexistStep $orgFolder 'GetADSite.xml' 'Get-ADSite' '' '' { Get-ADSite })
    }
    else {
        [void](Invoke-CoexistStep $orgFolder 'GetADSite.xml' 'AD sites (forest)' '' '' {
                [System.DirectoryServices.ActiveDirectory.Forest]::GetCurrentForest().Sites | Select-Object Name
            })
    }
    [void](Invoke-CoexistStep $orgFolder 'GetOutlookProvider.xml' 'Get-OutlookProvider' '' '' { Get-OutlookProvider })

    $dbParams = @{}
    if (Test-CoexistParameter 'Get-MailboxDatabase' 'Status') { $dbParams['Status'] = $false }
    foreach ($dbSwitch in @('IncludePreExchange2013', 'IncludePreExchange2010')) {
        if (Test-CoexistParameter 'Get-MailboxDatabase' $dbSwitch) { $dbParams[$dbSwitch] = $true }
    }
    [void](Invoke-CoexistStep $orgFolder 'GetMailboxDatabase.xml' 'Get-MailboxDatabase' '' '' { Get-MailboxDatabase @dbParams })

    if ($SkipMailboxes) {
        Write-CoexistSkip '' '' 'Get-Mailbox' '-SkipMailboxes'
    }
    else {
        # Streamed to CSV (name,database): mailbox lists can be huge.
        $mbxPath = Join-Path $orgFolder 'mailboxes.csv'
        Write-CoexistLog 'organisation: Get-Mailbox -ResultSize Unlimited (this can take a while)'
        $script:MailboxCount = 0
        $mbxFailure = ''
        $ErrorActionPreference = 'Stop'
        try {
            [void][System.IO.Directory]::CreateDirectory($orgFolder)
            Get-Mailbox -ResultSize Unlimited |
                ForEach-Object {
                    $script:MailboxCount++
                    if ($script:MailboxCount % 1000 -eq 0) { Write-CoexistLog ('  {0} mailboxes' -f $script:MailboxCount) }
                    $_
                } |
                Select-Object @{ Name = 'name'; Expression = { [string]$_.Name } }, @{ Name = 'database'; Expression = { Get-CoexistADName $_.Database } } |
                Export-Csv -Path $mbxPath -NoTypeInformation -Encoding UTF8
        }
        catch {
            $mbxFailure = $_.Exception.Message
        }
        $ErrorActionPreference = 'Continue'
        if ($mbxFailure) {
            Write-CoexistLog ('organisation: Get-Mailbox failed: {0}' -f $mbxFailure) 'WARN'
            Write-CoexistManifestRow '' '' 'Get-Mailbox' '' 'failed' $script:MailboxCount $mbxFailure
        }
        else {
            Write-CoexistLog ('organisation: {0} mailboxes' -f $script:MailboxCount)
            Write-CoexistManifestRow '' '' 'Get-Mailbox' 'org\mailboxes.csv' 'ok' $script:MailboxCount ''
        }
    }
}

# ---------------------------------------------------------------------------
# Manifest and summary

$script:Manifest | Export-Csv -Path (Join-Path $OutputPath 'manifest.csv') -NoTypeInformation -Encoding UTF8
$okCount = @($script:Manifest | Where-Object { $_.Status -eq 'ok' }).Count
$skipCount = @($script:Manifest | Where-Object { $_.Status -eq 'skipped' }).Count
$failCount = @($script:Manifest | Where-Object { $_.Status -eq 'failed' }).Count
$seconds = ((Get-Date) - $StartTime).TotalSeconds
Write-CoexistLog ('Done in {0:N0} s: {1} exports, {2} skipped, {3} failed (see manifest.csv).' -f $seconds, $okCount, $skipCount, $failCount)
Write-CoexistLog ('Zip {0} and take it home; then run: coexist import <folder> -o inventory.toml' -f $OutputPath)
